package io.orderpipeline.query.view;

import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderState;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The read-side topology, a plain function: {@code orders.state} is materialized into {@value #ORDERS_BY_ID} and kept
 * in step with the listing indexes of {@link Index}: {@value #ORDERS_BY_CREATED}, {@value #ORDERS_BY_STATUS}, {@value
 * #ORDERS_BY_SYMBOL}, {@value #ORDERS_BY_SYMBOL_STATUS}, and the same four per account ({@value #ORDERS_BY_ACCOUNT},
 * …), which a principal's listing merges over its accounts.
 *
 * <p><b>It writes nothing back to Kafka.</b> {@value #ORDERS_BY_ID} is a read-only state store
 * ({@link Topology#addReadOnlyStateStore}): {@code orders.state} itself is its changelog, so restoring it and keeping
 * a standby copy read that topic and no changelog topic exists. The indexes are derived from it and are not logged
 * either: an active task rebuilds them from {@value #ORDERS_BY_ID} when it starts processing (after its restore, on
 * every assignment and restart), then moves an order's entries as its state changes ({@link OrderIndexer}). Until a
 * partition's indexes are rebuilt, and on standby copies which never maintain them, {@link IndexReadiness} says so and
 * a listing reads the by-id store instead ({@link LocalOrderStore}).
 *
 * <p>One processor owns all stores of a partition, so an order's row and its index entries change together in
 * one task. A record whose version is lower than the stored one is ignored (the topic is ordered per key, so this only
 * guards against replays; a restore copies the topic as it is). A tombstone removes the order and its entries. Stores
 * are not cached: a processed record is visible to interactive queries at once.
 *
 * <p>Order history: {@code orders.events} is filed into the global store {@value #ORDER_EVENTS} (key: order id and the
 * event's position, {@link HistoryKeys}), by {@link HistoryRecorder}. A global store has no changelog either: Kafka
 * Streams rebuilds it by running the topic through the same processor (KAFKA-7663, Kafka 3.7+). Every instance holds
 * every order's history — events are small, append-only, and an order's history is asked for rarely — so a history
 * query never crosses instances and needs no co-partitioning with {@code orders.state}.
 */
public final class OrderViewTopology {

    public static final String ORDERS_BY_ID = "orders-by-id";
    public static final String ORDERS_BY_CREATED = "orders-by-created";
    public static final String ORDERS_BY_STATUS = "orders-by-status";
    public static final String ORDERS_BY_SYMBOL = "orders-by-symbol";
    public static final String ORDERS_BY_SYMBOL_STATUS = "orders-by-symbol-status";
    public static final String ORDERS_BY_ACCOUNT = "orders-by-account";
    public static final String ORDERS_BY_ACCOUNT_STATUS = "orders-by-account-status";
    public static final String ORDERS_BY_ACCOUNT_SYMBOL = "orders-by-account-symbol";
    public static final String ORDERS_BY_ACCOUNT_SYMBOL_STATUS = "orders-by-account-symbol-status";

    public static final String ORDER_EVENTS = "order-events";

    static final String SOURCE = "orders-state-source";
    static final String INDEXER = "index-orders";
    static final String EVENTS_SOURCE = "orders-events-source";
    static final String HISTORY = "record-history";

    private OrderViewTopology() {}

    /**
     * @param stateTopic {@code orders.state} with its serdes
     * @param persistent RocksDB stores (state survives restarts, range scans cost what they return) or in-memory
     * @param readiness where the indexer records which partitions' indexes are built (one per Streams client owner)
     * @param eventsTopic {@code orders.events} with its serdes; {@code null}: no history store
     */
    public record Settings(
            Topic<String, OrderState> stateTopic,
            boolean persistent,
            IndexReadiness readiness,
            Topic<String, OrderEvent> eventsTopic) {
        public Settings {
            Objects.requireNonNull(stateTopic, "stateTopic");
            Objects.requireNonNull(readiness, "readiness");
        }

        public Settings(Topic<String, OrderState> stateTopic, boolean persistent, IndexReadiness readiness) {
            this(stateTopic, persistent, readiness, null);
        }

        public Settings(Topic<String, OrderState> stateTopic, boolean persistent) {
            this(stateTopic, persistent, new IndexReadiness());
        }
    }

    public static Topology build(Settings settings) {
        Topic<String, OrderState> topic = settings.stateTopic();
        Topology topology = new Topology();
        topology.addReadOnlyStateStore(
                Stores.keyValueStoreBuilder(
                                supplier(ORDERS_BY_ID, settings.persistent()), Serdes.String(), topic.valueSerde())
                        .withCachingDisabled(),
                SOURCE,
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer(),
                topic.name(),
                INDEXER,
                () -> new OrderIndexer(settings.readiness()));
        for (Index index : Index.values()) {
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                                    supplier(index.storeName(), settings.persistent()),
                                    Serdes.String(),
                                    Serdes.String())
                            .withCachingDisabled()
                            .withLoggingDisabled(),
                    INDEXER);
        }
        Topic<String, OrderEvent> events = settings.eventsTopic();
        if (events != null) {
            topology.addGlobalStore(
                    Stores.keyValueStoreBuilder(
                                    supplier(ORDER_EVENTS, settings.persistent()), Serdes.String(), events.valueSerde())
                            .withCachingDisabled()
                            .withLoggingDisabled(),
                    EVENTS_SOURCE,
                    events.keySerde().deserializer(),
                    events.valueSerde().deserializer(),
                    events.name(),
                    HISTORY,
                    HistoryRecorder::new);
        }
        return topology;
    }

    private static KeyValueBytesStoreSupplier supplier(String name, boolean persistent) {
        return persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }
}
