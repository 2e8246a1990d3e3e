package io.orderpipeline.bench.jmh;

import io.orderpipeline.bench.kafka.OrderFactory;
import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.processor.placement.ExchangeLedger;
import io.orderpipeline.processor.placement.SimulatedExchange;
import io.orderpipeline.processor.topology.OrderTopology;
import io.orderpipeline.processor.topology.StreamsDefaults;
import io.orderpipeline.processor.topology.TopologySettings;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The stream-processor's real topology ({@link OrderTopology#build}, RocksDB stores, production serdes with an
 * in-memory schema store, the simulated exchange at 0 latency) in a {@code TopologyTestDriver}: the CPU cost of one
 * order from PLACE command to PLACED state with no broker, commit or network in the way, and a point read of the
 * {@value OrderTopology#ORDERS_STORE} store. Outputs are drained after every batch so memory stays flat.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TopologyBenchmark {

    static final int BATCH = 200;

    private TopologyTestDriver driver;
    private TestInputTopic<String, OrderCommand> commands;
    private final List<TestOutputTopic<byte[], byte[]>> outputs = new ArrayList<>();
    private KeyValueStore<String, OrderState> orders;
    private OrderFactory factory;
    private final List<String> placed = new ArrayList<>();
    private TickingClock clock;
    private Path stateDir;
    private Duration tick;
    private long seq;

    /** The topology's clock, moved together with the driver's wall clock. */
    static final class TickingClock extends Clock {
        private Instant now;

        TickingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Instant start = Instant.parse("2026-01-05T14:30:00Z");
        clock = new TickingClock(start);
        TopologySettings settings = TopologySettings.defaults();
        tick = settings.schedulerInterval();
        AvroSerdes serdes = AvroSerdes.inMemory();
        OrderTopics topics = OrderTopics.create(settings.topics(), serdes);
        stateDir = Files.createTempDirectory("jmh-topology");
        Properties config = new Properties();
        config.putAll(StreamsDefaults.config(StreamsDefaults.DEFAULT_DEAD_LETTER_QUEUE_TOPIC, 1));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "jmh-topology");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        SimulatedExchange exchange =
                new SimulatedExchange(SimulatedExchange.Settings.reliable(), clock, ExchangeLedger.inMemory());
        StreamsBuilder builder = OrderTopology.build(new StreamsBuilder(), settings, serdes, exchange, clock);
        driver = new TopologyTestDriver(builder.build(), config, start);
        TestInputTopic<String, Instrument> instruments = driver.createInputTopic(
                topics.instruments().name(),
                new StringSerializer(),
                topics.instruments().valueSerde().serializer());
        for (Instrument instrument : DefaultInstruments.all()) {
            instruments.pipeInput(instrument.getSymbol(), instrument, start);
        }
        factory = new OrderFactory("jmh", OrderFactory.products(DefaultInstruments.all()));
        commands = driver.createInputTopic(
                topics.commands().name(),
                new StringSerializer(),
                topics.commands().valueSerde().serializer());
        orders = driver.getKeyValueStore(OrderTopology.ORDERS_STORE);
        // sanity: one batch must end PLACED, or the benchmark would measure rejections
        placeBatch();
        // every topic the topology wrote to is drained after each batch from now on
        for (String topic : driver.producedTopicNames()) {
            outputs.add(driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        }
        outputs.forEach(TestOutputTopic::readRecordsToList);
        String probe = placed.get(placed.size() - 1);
        OrderState state = orders.get(probe);
        if (state == null || state.getStatus() != OrderStatus.PLACED) {
            throw new IllegalStateException("topology did not place the probe order: " + state);
        }
    }

    /** A batch of valid PLACE commands, then one scheduler tick, then the outputs drained. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int placeBatch() {
        Instant now = clock.instant();
        for (int i = 0; i < BATCH; i++) {
            // keyed by account, the id routed to it: the write side's partitioning contract
            long order = seq++;
            String id = factory.orderId(order);
            commands.pipeInput(factory.account(order), factory.placeCommand("t", order, id, now), now);
            if (placed.size() < 100_000) {
                placed.add(id);
            }
        }
        clock.advance(tick);
        driver.advanceWallClockTime(tick);
        int n = 0;
        for (TestOutputTopic<byte[], byte[]> out : outputs) {
            n += out.readRecordsToList().size();
        }
        return n;
    }

    /** A point read of the orders-by-id store (RocksDB behind the record cache). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public OrderState storeGet() {
        return orders.get(placed.get((int) (seq++ % placed.size())));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
