package io.orderpipeline.bench.baseline;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.http.LatencyRecorder;
import io.orderpipeline.bench.kafka.OutputWatcher;
import io.orderpipeline.bench.stack.ChildJvm;
import io.orderpipeline.bench.stack.Sleep;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end latency floor of raw Kafka at the same arrival rate: a producer (acks=all, idempotent, default
 * batching) sends {@code OrderCommand}s keyed by account on a fixed schedule, the pass-through Streams app (EOS v2,
 * the processor's commit interval) copies them, a read_committed consumer sees them. Latency from the intended send
 * time to the consumer, like the e2e figure.
 *
 * <p>It never throws: a baseline that cannot run (the pass-through app does not start, nothing comes through)
 * returns a {@link Result} that says why, so the e2e row shows the reason instead of a bare {@code n/a}.
 */
public final class KafkaLatencyBaseline {

    private static final Logger log = LoggerFactory.getLogger(KafkaLatencyBaseline.class);
    private static final Duration DELIVERY_GRACE = Duration.ofSeconds(15);

    /**
     * What the baseline measured.
     *
     * @param latency intended send -> seen by the consumer; records never seen are errors
     * @param commitIntervalMs the pass-through app's {@code commit.interval.ms}
     * @param problem why the baseline has no figure, or null when it has one
     */
    public record Result(LatencyRecorder latency, int commitIntervalMs, String problem) {

        public double p(double percentile) {
            return problem == null ? latency.percentileMillis(percentile) : Double.NaN;
        }

        /** One phrase for the table's note. */
        public String describe() {
            if (problem != null) {
                return "baseline not measured: " + problem;
            }
            return String.format(
                    "baseline p50 %.1f ms, commit.interval.ms %d%s",
                    latency.percentileMillis(50),
                    commitIntervalMs,
                    latency.errorCount() == 0
                            ? ""
                            : ", " + latency.errorCount() + " baseline records not seen within "
                                    + DELIVERY_GRACE.toSeconds() + " s");
        }
    }

    private final BenchContext ctx;

    public KafkaLatencyBaseline(BenchContext ctx) {
        this.ctx = ctx;
    }

    public Result run(double rate, Duration duration) {
        Baselines baselines = new Baselines(ctx);
        int commitInterval = baselines.processorCommitInterval();
        String in = "bench.latency.in." + ctx.orders.runId();
        String out = "bench.latency.out." + ctx.orders.runId();
        try {
            ctx.kafka.createTopics(List.of(in, out), 3);
            return measure(baselines, in, out, rate, duration, commitInterval);
        } catch (RuntimeException e) {
            log.warn("latency baseline failed", e);
            return new Result(
                    new LatencyRecorder(), commitInterval, e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            ctx.kafka.deleteTopics(List.of(in, out));
        }
    }

    private Result measure(Baselines baselines, String in, String out, double rate, Duration duration, int interval) {
        Map<String, Long> intended = new HashMap<>();
        try (OutputWatcher<OrderCommand> watcher = baselines.orderIdWatcher(out);
                ChildJvm app = baselines.startPassThrough(in, out, "latency", interval);
                KafkaProducer<String, OrderCommand> producer = new KafkaProducer<>(
                        producerProps(),
                        new StringSerializer(),
                        ctx.topics.commands().valueSerde().serializer())) {
            // warm the path (JIT, connections, transactions) before measuring
            Map<String, Long> warm = new HashMap<>();
            send(producer, in, rate, Duration.ofSeconds(3), warm, "warm");
            awaitSeen(watcher, warm, Duration.ofSeconds(10));
            if (warm.keySet().stream().noneMatch(id -> watcher.firstSeen(id) != null)) {
                return new Result(
                        new LatencyRecorder(),
                        interval,
                        "none of " + warm.size() + " warm-up records came through the pass-through app within 10 s"
                                + " (the watcher read " + watcher.records() + " records; see "
                                + ctx.logs.resolve("passthrough-latency.log") + ")");
            }
            send(producer, in, rate, duration, intended, "lat");
            awaitSeen(watcher, intended, DELIVERY_GRACE);
            LatencyRecorder rec = new LatencyRecorder();
            intended.forEach((id, due) -> {
                Long seen = watcher.firstSeen(id);
                if (seen == null) {
                    rec.error("not seen", System.nanoTime());
                } else {
                    rec.ok(seen - due, seen);
                }
            });
            if (rec.ok() == 0) {
                return new Result(rec, interval, "none of " + intended.size() + " records came through");
            }
            return new Result(rec, interval, null);
        }
    }

    private static void awaitSeen(OutputWatcher<OrderCommand> watcher, Map<String, Long> sent, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !sent.keySet().stream().allMatch(id -> watcher.firstSeen(id) != null)) {
            Sleep.millis(50);
        }
    }

    private void send(
            KafkaProducer<String, OrderCommand> producer,
            String topic,
            double rate,
            Duration duration,
            Map<String, Long> intended,
            String tag) {
        long start = System.nanoTime();
        long n = (long) (rate * duration.toNanos() / 1e9);
        Instant now = Instant.now();
        for (long i = 0; i < n; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            ProducerRecord<String, OrderCommand> record = ctx.orders.placeRecord(topic, tag, i, now);
            intended.put(record.value().getOrderId(), due);
            producer.send(record);
        }
        producer.flush();
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.kafka.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-latency-baseline");
        return props;
    }
}
