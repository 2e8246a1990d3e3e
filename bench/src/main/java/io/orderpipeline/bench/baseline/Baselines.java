package io.orderpipeline.bench.baseline;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.kafka.OutputWatcher;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.stack.ChildJvm;
import io.orderpipeline.bench.stack.ProcFs;
import io.orderpipeline.bench.stack.Stack;
import io.orderpipeline.processor.topology.StreamsDefaults;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw Kafka on the same broker in the same run: Kafka's own {@code ProducerPerformance} (acks=all, the size of one
 * serialized {@code OrderCommand}), and a pass-through Kafka Streams application with the project's serdes draining a
 * backlog of real {@code OrderCommand}s. Both run as separate JVMs, like the services.
 */
public final class Baselines {

    private static final Logger log = LoggerFactory.getLogger(Baselines.class);
    private static final Pattern PERF = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms"
                    + " max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    private final BenchContext ctx;

    public Baselines(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** Bytes of one {@code OrderCommand} on the wire with the project's serde (Confluent framing + Avro). */
    public int commandSize() {
        OrderCommand sample = ctx.orders.placeCommand("size", 0, ctx.orders.orderId(0), Instant.now());
        return ctx.topics
                .commands()
                .valueSerde()
                .serializer()
                .serialize(ctx.topics.commands().name(), sample)
                .length;
    }

    public void run() {
        int size = commandSize();
        SerdeProbe.run(ctx);
        producer(size);
        passThroughThroughput();
    }

    /** Kafka's ProducerPerformance: records/s with acks=all and records the size of ours. */
    void producer(int recordSize) {
        String topic = "bench.baseline.producer." + ctx.orders.runId();
        ctx.kafka.createTopics(List.of(topic), 3);
        List<String> args = List.of(
                "--topic",
                topic,
                "--num-records",
                Integer.toString(ctx.plan.producerRecords()),
                "--record-size",
                Integer.toString(recordSize),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + ctx.kafka.bootstrap(),
                "acks=all",
                "enable.idempotence=true",
                "client.id=bench-producer-perf");
        try (ChildJvm perf = ChildJvm.start(
                ctx.settings.childJvmOptions(),
                "org.apache.kafka.tools.ProducerPerformance",
                args,
                ctx.logs.resolve("producer-performance.log"))) {
            if (!perf.awaitExit(Duration.ofMinutes(3))) {
                throw new IllegalStateException("ProducerPerformance did not finish in 3 minutes");
            }
            Optional<Matcher> last = perf.lines().stream()
                    .map(PERF::matcher)
                    .filter(Matcher::find)
                    .reduce((a, b) -> b);
            Matcher m = last.orElseThrow(() -> new IllegalStateException(
                    "no ProducerPerformance summary; see " + ctx.logs.resolve("producer-performance.log")));
            ctx.producerBaseline = Double.parseDouble(m.group(2));
            ctx.report.row(
                    "0 baseline",
                    "Kafka ProducerPerformance, acks=all, " + recordSize + " B records",
                    ctx.producerBaseline,
                    "rec/s",
                    m.group(3) + " MB/s, p50 " + m.group(7) + " ms, p99 " + m.group(9) + " ms, "
                            + ctx.plan.producerRecords() + " records");
        } finally {
            ctx.kafka.deleteTopics(List.of(topic));
        }
    }

    /** The pass-through Streams app draining a backlog of {@code passThroughRecords} commands. */
    void passThroughThroughput() {
        int n = ctx.plan.passThroughRecords();
        String in = "bench.passthrough.in." + ctx.orders.runId();
        String out = "bench.passthrough.out." + ctx.orders.runId();
        ctx.kafka.createTopics(List.of(in, out), 3);
        try {
            preload(in, n, "pt");
            try (OutputWatcher<OrderCommand> watcher = orderIdWatcher(out);
                    ChildJvm app = startPassThrough(in, out, "throughput", processorCommitInterval())) {
                long start = System.nanoTime();
                if (!watcher.awaitCount(n, Duration.ofMinutes(3))) {
                    log.warn("pass-through saw only {} of {} records", watcher.count(), n);
                }
                double total = watcher.count() / ((System.nanoTime() - start) / 1e9);
                ctx.passThroughBaseline = watcher.steadyRate(n, 0.1, 0.9);
                ctx.report.row(
                        "0 baseline",
                        "pass-through Kafka Streams (EOS v2, AvroSerdes), backlog drain",
                        ctx.passThroughBaseline,
                        "rec/s",
                        "10-90% of " + n + " records; incl. start-up " + Math.round(total)
                                + " rec/s; commit.interval.ms " + processorCommitInterval());
            }
        } finally {
            ctx.kafka.deleteTopics(List.of(in, out));
        }
    }

    /**
     * Watches {@code topic}'s committed {@code OrderCommand}s; a result is identified by its order id (commands are
     * keyed by account).
     */
    public OutputWatcher<OrderCommand> orderIdWatcher(String topic) {
        return new OutputWatcher<>(
                ctx.kafka,
                topic,
                ctx.topics.commands().valueSerde().deserializer(),
                null,
                (k, v) -> v != null,
                (k, v) -> v == null ? null : v.getOrderId());
    }

    /** The commit interval of the running stream-processor ({@link CommitInterval}), or its default. */
    public int processorCommitInterval() {
        Stack.Member processor = ctx.stack.member(Stack.PROCESSOR);
        if (processor == null || !processor.running()) {
            return StreamsDefaults.COMMIT_INTERVAL_MS;
        }
        return CommitInterval.of(ProcFs.cmdline(processor.pid()), ProcFs.environ(processor.pid()));
    }

    /** Starts the pass-through app with {@code commitIntervalMs} and waits until it is RUNNING. */
    public ChildJvm startPassThrough(String in, String out, String tag, int commitIntervalMs) {
        Path stateDir = ctx.settings.workDir().resolve("passthrough-state-" + tag);
        ChildJvm app = ChildJvm.start(
                ctx.settings.childJvmOptions(),
                PassThroughStreamsApp.class.getName(),
                new ArrayList<>(List.of(
                        ctx.kafka.bootstrap(),
                        ctx.settings.registryUrl(),
                        in,
                        out,
                        "bench-passthrough-" + tag + "-" + ctx.orders.runId(),
                        stateDir.toString(),
                        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG + "=" + commitIntervalMs)),
                ctx.logs.resolve("passthrough-" + tag + ".log"));
        if (!app.awaitLine(l -> l.contains("STATE RUNNING"), Duration.ofSeconds(90))) {
            String last = app.lines().isEmpty()
                    ? "no output"
                    : app.lines().get(app.lines().size() - 1);
            app.close();
            throw new IllegalStateException("pass-through app not RUNNING within 90 s (last line: " + last + "); see "
                    + ctx.logs.resolve("passthrough-" + tag + ".log"));
        }
        return app;
    }

    /**
     * Writes {@code n} valid PLACE commands to {@code topic} with the project's serde, as fast as Kafka takes them,
     * keyed by account like ingest-api's; returns their order ids.
     */
    public List<String> preload(String topic, int n, String tag) {
        List<String> ids = new ArrayList<>(n);
        Serializer<OrderCommand> values = ctx.topics.commands().valueSerde().serializer();
        long start = System.nanoTime();
        try (KafkaProducer<String, OrderCommand> producer = ctx.kafka.bulkProducer(new StringSerializer(), values)) {
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                ProducerRecord<String, OrderCommand> record = ctx.orders.placeRecord(topic, tag, i, now);
                ids.add(record.value().getOrderId());
                producer.send(record);
            }
            producer.flush();
        }
        log.info("preloaded {} commands into {} in {} ms", n, topic, (System.nanoTime() - start) / 1_000_000);
        return ids;
    }

    static Report.Row ratioRow(
            String figure,
            String metric,
            double value,
            String unit,
            double baseline,
            String baselineName,
            String note) {
        return new Report.Row(figure, metric, value, unit, baseline, baselineName, true, note);
    }
}
