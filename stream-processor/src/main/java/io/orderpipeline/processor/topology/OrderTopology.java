package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.account.AccountLedger;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.avro.AccountExposure;
import io.orderpipeline.schemas.avro.AccountReservation;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.schemas.avro.ScheduledPlacement;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The write side of the order pipeline as a plain function over a {@link StreamsBuilder}: no Spring, every collaborator
 * passed in, so it runs the same in the application, in {@code TopologyTestDriver} and in a benchmark.
 *
 * <pre>
 *  orders.commands ──join instruments (GlobalKTable)──┐
 *  orders.place.retry.0..n ───────────────────────────┤
 *  orders.executions (venue reports) ─────────────────┴─▶ order-lifecycle ─▶ orders.state, orders.events (by orderId),
 *                                                          (orders-by-id,      orders.place.retry.&lt;tier&gt; (by account),
 *                                                           placement-schedule, orders.place.dlt (by orderId)
 *                                                           account-*)
 * </pre>
 *
 * <p><b>One sub-topology, one exactly-once hop.</b> The write side is partitioned by account
 * ({@link io.orderpipeline.schemas.OrderRouting}): a PLACE is keyed by its accountId, a CANCEL reaches the same
 * partition through the route its order id carries, the retry tiers and the venue's reports
 * ({@code orders.executions}) are keyed by accountId. So validation, the
 * account ledger (duplicate clientOrderId, open notional) and the order state machine of one account run in one task,
 * and a command becomes a state in one transaction. Every source, processor, store and sink has a stable name
 * (constants below) because changelog topics, interactive queries and rolling upgrades depend on them. The retry
 * tier topics and {@code orders.executions} must have the partition count of {@code orders.commands}.
 */
public final class OrderTopology {

    /** Latest {@code OrderState} per orderId. */
    public static final String ORDERS_STORE = "orders-by-id";
    /** Due retries and deadlines of attempts in flight, keyed by due time then orderId. */
    public static final String SCHEDULE_STORE = "placement-schedule";
    /** The GlobalKTable of {@code instruments}. */
    public static final String INSTRUMENTS_STORE = "instruments-by-symbol";
    /** Account ledger stores (see {@link AccountLedger}), in the same task as the orders of the account. */
    public static final String CLIENT_ORDERS_STORE = AccountLedger.CLIENT_ORDERS_STORE;

    public static final String RESERVATIONS_STORE = AccountLedger.RESERVATIONS_STORE;
    public static final String EXPOSURE_STORE = AccountLedger.EXPOSURE_STORE;

    /** The processor that validates, keeps the account ledger and runs the order state machine. */
    public static final String LIFECYCLE_PROCESSOR = "order-lifecycle";

    private OrderTopology() {}

    /**
     * Adds the order pipeline to {@code builder}.
     *
     * @param serdes the Avro serde factory (registry-backed, or {@link AvroSerdes#inMemory()} in tests)
     * @param exchange where orders are placed, cancelled and amended; must be idempotent by orderId and request id
     * @param clock the time of state changes, due retries and timeouts; a test moves it together with the driver's
     *     wall clock
     * @return {@code builder}
     */
    public static StreamsBuilder build(
            StreamsBuilder builder,
            TopologySettings settings,
            AvroSerdes serdes,
            ExchangeGateway exchange,
            Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(clock, "clock");
        OrderTopics topics = OrderTopics.create(settings.topics(), serdes);
        Serde<String> keys = Serdes.String();

        builder.addStateStore(
                Stores.keyValueStoreBuilder(store(settings, ORDERS_STORE), keys, serdes.valueSerde(OrderState.class))
                        .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        store(settings, SCHEDULE_STORE), keys, serdes.valueSerde(ScheduledPlacement.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, CLIENT_ORDERS_STORE), keys, Serdes.String())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        store(settings, RESERVATIONS_STORE), keys, serdes.valueSerde(AccountReservation.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        store(settings, EXPOSURE_STORE), keys, serdes.valueSerde(AccountExposure.class))
                .withCachingEnabled());

        GlobalKTable<String, Instrument> instruments = builder.globalTable(
                topics.instruments().name(),
                topics.instruments().consumed().withName("instruments-source"),
                Materialized.<String, Instrument, KeyValueStore<Bytes, byte[]>>as(INSTRUMENTS_STORE)
                        .withKeySerde(keys)
                        .withValueSerde(topics.instruments().valueSerde()));

        KStream<String, OrderCommand> commands = builder.stream(
                topics.commands().name(), topics.commands().consumed().withName("commands-source"));
        KStream<String, OrderInput> inputs = commands.leftJoin(
                instruments,
                (orderId, command) -> command == null ? null : command.getSymbol(),
                (command, instrument) -> (OrderInput) new OrderInput.Command(command, instrument),
                Named.as("join-instrument"));

        for (int tier = 0; tier < settings.retry().tiers(); tier++) {
            KStream<String, PlacementAttempt> retries = builder.stream(
                    topics.retry(tier).name(), topics.retry(tier).consumed().withName("retry-" + tier + "-source"));
            inputs = inputs.merge(
                    retries.mapValues(a -> (OrderInput) new OrderInput.Retry(a), Named.as("wrap-retry-" + tier)),
                    Named.as("merge-retry-" + tier));
        }

        // The venue's reports, keyed by account like the commands: each reaches the task that owns its order.
        KStream<String, ExecutionReport> executions = builder.stream(
                topics.executions().name(), topics.executions().consumed().withName("executions-source"));
        inputs = inputs.merge(
                executions.mapValues(r -> (OrderInput) new OrderInput.Execution(r), Named.as("wrap-executions")),
                Named.as("merge-executions"));

        KStream<String, OrderOutput> outputs = inputs.process(
                () -> new OrderLifecycleProcessor(settings, exchange, clock),
                Named.as(LIFECYCLE_PROCESSOR),
                ORDERS_STORE,
                SCHEDULE_STORE,
                CLIENT_ORDERS_STORE,
                RESERVATIONS_STORE,
                EXPOSURE_STORE);

        BranchedKStream<String, OrderOutput> routes = outputs.split(Named.as("route-"));
        routes.branch(
                (key, out) -> out instanceof OrderOutput.StateChanged,
                Branched.withConsumer(
                        state -> state.mapValues(
                                        out -> ((OrderOutput.StateChanged) out).state(), Named.as("state-value"))
                                .to(
                                        topics.state().name(),
                                        topics.state().produced().withName("state-sink")),
                        "state"));
        routes.branch(
                (key, out) -> out instanceof OrderOutput.EventOccurred,
                Branched.withConsumer(
                        events -> events.mapValues(
                                        out -> ((OrderOutput.EventOccurred) out).event(), Named.as("event-value"))
                                .to(
                                        topics.events().name(),
                                        topics.events().produced().withName("events-sink")),
                        "events"));
        routes.branch(
                (key, out) -> out instanceof OrderOutput.DeadLettered,
                Branched.withConsumer(
                        dead -> dead.mapValues(
                                        out -> ((OrderOutput.DeadLettered) out).attempt(),
                                        Named.as("dead-letter-value"))
                                .to(
                                        topics.deadLetter().name(),
                                        topics.deadLetter().produced().withName("dead-letter-sink")),
                        "dead-letter"));
        for (int tier = 0; tier < settings.retry().tiers(); tier++) {
            int thisTier = tier;
            routes.branch(
                    (key, out) -> out instanceof OrderOutput.RetryScheduled retry && retry.tier() == thisTier,
                    Branched.withConsumer(
                            retry -> retry.mapValues(
                                            out -> ((OrderOutput.RetryScheduled) out).attempt(),
                                            Named.as("retry-" + thisTier + "-value"))
                                    .to(
                                            topics.retry(thisTier).name(),
                                            topics.retry(thisTier).produced().withName("retry-" + thisTier + "-sink")),
                            "retry-" + thisTier));
        }
        routes.noDefaultBranch();

        return builder;
    }

    private static KeyValueBytesStoreSupplier store(TopologySettings settings, String name) {
        return settings.stores() == TopologySettings.StoreType.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
    }
}
