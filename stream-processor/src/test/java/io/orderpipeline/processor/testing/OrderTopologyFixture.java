package io.orderpipeline.processor.testing;

import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ExchangeLedger;
import io.orderpipeline.processor.placement.SimulatedExchange;
import io.orderpipeline.processor.topology.OrderTopology;
import io.orderpipeline.processor.topology.StreamsDefaults;
import io.orderpipeline.processor.topology.TopologySettings;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * {@link OrderTopology} in a {@code TopologyTestDriver}, with a clock the test moves, the Avro serdes of production
 * (against an in-memory schema store) and readers for every output. Published in stream-processor's test-jar
 * ({@code <classifier>tests</classifier>}, package {@code io.orderpipeline.processor.testing}), so other modules and
 * users can test against the real topology; they add {@code kafka-streams-test-utils} to their test scope.
 *
 * <pre>{@code
 * ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL);    // attempt 1 fails
 * try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().exchange(exchange).build()) {
 *     fixture.send(OrderCommands.place("o-1").symbol("AAPL").buy(10).limit("187.25").build());
 *     assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.RETRYING);
 *
 *     fixture.advance(Duration.ofSeconds(1));                  // moves the clock and the driver's wall clock
 *     assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
 *     assertThat(fixture.stateHistory("o-1")).extracting(OrderState::getVersion).containsExactly(1L, 2L, 3L);
 * }
 * }</pre>
 *
 * <p><b>Execution reports.</b> With {@link Builder#venue()} the topology talks to a {@link ScriptedVenue}, which only
 * sends, like a FIX venue: orders stay {@code PENDING} until the test makes the venue answer.
 *
 * <pre>{@code
 * try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().venue().build()) {
 *     fixture.send(OrderCommands.place("o-1").buy(10).limit("187.25").build());
 *     fixture.venue().acknowledge("o-1");                 // PLACED
 *     fixture.venue().fill("o-1", 4, "187.20");           // PARTIALLY_FILLED, filled 4, leaves 6
 *     fixture.amend("o-1", 8, null);                      // AMEND_REQUESTED; fixture.venue().replaced("o-1") confirms
 *     fixture.cancel("o-1");                              // CANCEL_REQUESTED; fixture.venue().cancelled("o-1") ends it
 *     fixture.venue().rejected("o-2", true);              // a retryable reject: retry tiers as for any transient failure
 * }
 * }</pre>
 *
 * <p>Time: the topology reads time from the fixture's {@link MutableClock}, and its punctuator is driven by the
 * driver's wall clock; {@link #advance(Duration)} moves both together. Nothing moves by itself. Records are piped
 * with the current clock time as timestamp.
 *
 * <p>Outputs are read from the driver as they are produced and kept, so each accessor sees everything so far.
 */
public final class OrderTopologyFixture implements AutoCloseable {

    /** Where the fixture's clock starts unless told otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T14:30:00Z");

    private final TopologySettings settings;
    private final MutableClock clock;
    private final ExchangeGateway exchange;
    private final ScriptedVenue venue;
    private final AvroSerdes serdes;
    private final OrderTopics topics;
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, OrderCommand> commands;
    private final TestInputTopic<String, Instrument> instruments;
    private final TestInputTopic<String, ExecutionReport> executions;
    private final TestOutputTopic<String, OrderState> stateTopic;
    private final TestOutputTopic<String, OrderEvent> eventTopic;
    private final TestOutputTopic<String, PlacementAttempt> deadLetterTopic;
    private final List<TestOutputTopic<String, PlacementAttempt>> retryTopics = new ArrayList<>();
    private final TestOutputTopic<byte[], byte[]> deadLetterQueueTopic;
    private final String deadLetterQueueName;
    private final List<OrderState> states = new ArrayList<>();
    private final List<OrderEvent> events = new ArrayList<>();
    private final List<TestRecord<String, PlacementAttempt>> deadLetters = new ArrayList<>();
    private final Map<Integer, List<TestRecord<String, PlacementAttempt>>> retries = new HashMap<>();
    private final List<TestRecord<byte[], byte[]>> deadLetterQueue = new ArrayList<>();

    private OrderTopologyFixture(Builder builder) {
        this.settings = builder.settings.withStores(builder.stores);
        this.clock = new MutableClock(builder.start);
        this.venue = builder.venue ? new ScriptedVenue() : null;
        this.exchange = venue != null
                ? venue
                : builder.exchange != null
                        ? builder.exchange.apply(clock)
                        : new SimulatedExchange(
                                SimulatedExchange.Settings.reliable(), clock, ExchangeLedger.inMemory());
        this.serdes = AvroSerdes.inMemory();
        this.topics = OrderTopics.create(settings.topics(), serdes);
        try {
            this.stateDir = Files.createTempDirectory("order-topology-fixture");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties config = new Properties();
        config.putAll(StreamsDefaults.config(builder.deadLetterQueueTopic, 1));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "order-topology-fixture");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.putAll(builder.extraConfig);
        StreamsBuilder streams = OrderTopology.build(new StreamsBuilder(), settings, serdes, exchange, clock);
        this.driver = new TopologyTestDriver(streams.build(), config, builder.start);

        this.commands = input(topics.commands());
        this.instruments = input(topics.instruments());
        this.executions = input(topics.executions());
        if (venue != null) {
            venue.connect(id -> ordersStore().get(id), this::report, clock);
        }
        this.stateTopic = output(topics.state());
        this.eventTopic = output(topics.events());
        this.deadLetterTopic = output(topics.deadLetter());
        for (int tier = 0; tier < settings.retry().tiers(); tier++) {
            retryTopics.add(output(topics.retry(tier)));
        }
        this.deadLetterQueueName = builder.deadLetterQueueTopic;
        this.deadLetterQueueTopic = driver.createOutputTopic(
                builder.deadLetterQueueTopic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        builder.instruments.forEach(this::putInstrument);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ----- inputs

    /**
     * Pipes {@code command} to {@code orders.commands} at the clock's time, keyed as ingest-api keys it: a PLACE by its
     * accountId, a CANCEL or AMEND (or a PLACE without account) by its orderId (see {@link io.orderpipeline.schemas.OrderRouting}).
     */
    public void send(OrderCommand command) {
        String key = command.getType() != CommandType.PLACE || command.getAccountId() == null
                ? command.getOrderId()
                : command.getAccountId();
        commands.pipeInput(key, command, clock.instant());
    }

    /** Pipes a venue report to {@code orders.executions}, keyed by its accountId, at the clock's time. */
    public void report(ExecutionReport report) {
        executions.pipeInput(report.getAccountId(), report, clock.instant());
    }

    /** Pipes an AMEND of {@code orderId} to {@code quantity} (0: keep) and {@code price} (null: keep). */
    public void amend(String orderId, long quantity, String price) {
        send(OrderCommands.amend(orderId, quantity, price));
    }

    /** Pipes a CANCEL for {@code orderId}. */
    public void cancel(String orderId) {
        send(OrderCommands.cancel(orderId));
    }

    /** Writes (or replaces) an instrument in the {@code instruments} GlobalKTable. */
    public void putInstrument(Instrument instrument) {
        instruments.pipeInput(instrument.getSymbol(), instrument, clock.instant());
    }

    /** Pipes raw bytes to any input topic: for poison records. */
    public void sendRaw(String topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(key, value, clock.instant());
    }

    /** Pipes a record to any input topic with that topic's serdes (e.g. a retry tier). */
    public <V> void send(Topic<String, V> topic, String key, V value) {
        driver.createInputTopic(
                        topic.name(), new StringSerializer(), topic.valueSerde().serializer())
                .pipeInput(key, value, clock.instant());
    }

    // ----- time

    /**
     * Lets {@code duration} pass: moves the topology's clock and the driver's wall clock together, in steps of the
     * scheduler interval, so the punctuator runs as often as it would in real time (the driver fires a punctuator at
     * most once per call).
     */
    public void advance(Duration duration) {
        Duration step = settings.schedulerInterval();
        Duration remaining = duration;
        while (!remaining.isNegative() && !remaining.isZero()) {
            Duration next = remaining.compareTo(step) < 0 ? remaining : step;
            clock.advance(next);
            driver.advanceWallClockTime(next);
            remaining = remaining.minus(next);
        }
    }

    public Instant now() {
        return clock.instant();
    }

    // ----- outputs

    /** Current state of {@code orderId} in the {@value OrderTopology#ORDERS_STORE} store. */
    public Optional<OrderState> state(String orderId) {
        return Optional.ofNullable(ordersStore().get(orderId));
    }

    /** Every record written to {@code orders.state} so far. */
    public List<OrderState> states() {
        drain();
        return List.copyOf(states);
    }

    /** Every state {@code orderId} went through on {@code orders.state}, in order. */
    public List<OrderState> stateHistory(String orderId) {
        return states().stream().filter(s -> s.getOrderId().equals(orderId)).toList();
    }

    /** Every record written to {@code orders.events} so far. */
    public List<OrderEvent> events() {
        drain();
        return List.copyOf(events);
    }

    public List<OrderEvent> events(String orderId) {
        return events().stream().filter(e -> e.getOrderId().equals(orderId)).toList();
    }

    /** Records on {@code orders.place.dlt}, with headers. */
    public List<TestRecord<String, PlacementAttempt>> deadLetters() {
        drain();
        return List.copyOf(deadLetters);
    }

    /** Records on retry tier {@code tier}, with headers. */
    public List<TestRecord<String, PlacementAttempt>> retries(int tier) {
        drain();
        return List.copyOf(retries.getOrDefault(tier, List.of()));
    }

    /**
     * Records on the dead-letter queue of poison input (raw bytes with Kafka Streams' error headers). Holds records
     * whose <em>processing</em> threw; {@code TopologyTestDriver} drops the DLQ records of undeserializable input
     * (produced while the record is queued, outside any commit), so those only show on a real broker.
     */
    public List<TestRecord<byte[], byte[]>> deadLetterQueue() {
        drain();
        return List.copyOf(deadLetterQueue);
    }

    public KeyValueStore<String, OrderState> ordersStore() {
        return driver.getKeyValueStore(OrderTopology.ORDERS_STORE);
    }

    public ExchangeGateway exchange() {
        return exchange;
    }

    /**
     * The scripted venue of a fixture built with {@link Builder#venue()}: what the topology sent it, and the execution
     * reports a test makes it answer with.
     */
    public ScriptedVenue venue() {
        if (venue == null) {
            throw new IllegalStateException(
                    "this fixture has no venue: build it with OrderTopologyFixture.builder().venue()");
        }
        return venue;
    }

    public MutableClock clock() {
        return clock;
    }

    public TopologySettings settings() {
        return settings;
    }

    public OrderTopics topics() {
        return topics;
    }

    /** The serdes the topology uses (sharing its in-memory schema store). */
    public AvroSerdes serdes() {
        return serdes;
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            if (exchange instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            deleteRecursively(stateDir);
        }
    }

    private void drain() {
        stateTopic.readValuesToList().forEach(states::add);
        eventTopic.readValuesToList().forEach(events::add);
        deadLetters.addAll(deadLetterTopic.readRecordsToList());
        for (int tier = 0; tier < retryTopics.size(); tier++) {
            retries.computeIfAbsent(tier, t -> new ArrayList<>())
                    .addAll(retryTopics.get(tier).readRecordsToList());
        }
        // The DLQ is written by exception handlers, not by a sink: the driver only knows it once something arrived.
        if (driver.producedTopicNames().contains(deadLetterQueueName)) {
            deadLetterQueue.addAll(deadLetterQueueTopic.readRecordsToList());
        }
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(
                topic.name(), new StringSerializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(), new StringDeserializer(), topic.valueSerde().deserializer());
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }

    /** Configures a fixture; every setting has a default. */
    public static final class Builder {

        private TopologySettings settings = TopologySettings.defaults();
        private Function<MutableClock, ExchangeGateway> exchange;
        private boolean venue;
        private Instant start = DEFAULT_START;
        private List<Instrument> instruments = DefaultInstruments.all();
        private String deadLetterQueueTopic = StreamsDefaults.DEFAULT_DEAD_LETTER_QUEUE_TOPIC;
        private TopologySettings.StoreType stores = TopologySettings.StoreType.IN_MEMORY;
        private final Properties extraConfig = new Properties();

        private Builder() {}

        public Builder settings(TopologySettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /** The exchange (default: a reliable {@link SimulatedExchange} on the fixture's clock). */
        public Builder exchange(ExchangeGateway exchange) {
            Objects.requireNonNull(exchange);
            this.exchange = clock -> exchange;
            return this;
        }

        /** An exchange that needs the fixture's clock, e.g. a {@link SimulatedExchange} with outage windows. */
        public Builder exchange(Function<MutableClock, ExchangeGateway> factory) {
            this.exchange = Objects.requireNonNull(factory);
            return this;
        }

        /**
         * A venue that answers with execution reports the test scripts ({@link ScriptedVenue}, see
         * {@link OrderTopologyFixture#venue()}) instead of an exchange that acknowledges directly.
         */
        public Builder venue() {
            this.venue = true;
            return this;
        }

        /** Where the clock and the driver's wall clock start. */
        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start);
            return this;
        }

        /** Reference data written before the first order (default: the five default instruments). */
        public Builder instruments(List<Instrument> instruments) {
            this.instruments = List.copyOf(instruments);
            return this;
        }

        /**
         * The kind of state stores (default {@link TopologySettings.StoreType#IN_MEMORY}: the same behaviour as RocksDB
         * under the driver, about three times faster; overrides the kind in {@link #settings}).
         */
        public Builder stores(TopologySettings.StoreType stores) {
            this.stores = Objects.requireNonNull(stores);
            return this;
        }

        /** Any further Kafka Streams setting. */
        public Builder streamsConfig(String key, Object value) {
            extraConfig.put(key, value);
            return this;
        }

        public OrderTopologyFixture build() {
            return new OrderTopologyFixture(this);
        }
    }
}
