package io.orderpipeline.bench.baseline;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.http.LatencyRecorder;
import io.orderpipeline.bench.kafka.OrderFactory;
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

/**
 * The end-to-end latency floor of raw Kafka at the same arrival rate: a producer (acks=all, idempotent, default
 * batching) sends {@code OrderCommand}s on a fixed schedule, the pass-through Streams app (EOS v2) copies them, a
 * read_committed consumer sees them. Latency from the intended send time to the consumer, like our figure 2.
 */
public final class KafkaLatencyBaseline {

    private final BenchContext ctx;

    public KafkaLatencyBaseline(BenchContext ctx) {
        this.ctx = ctx;
    }

    public LatencyRecorder run(double rate, Duration duration) {
        String in = "bench.latency.in." + ctx.orders.runId();
        String out = "bench.latency.out." + ctx.orders.runId();
        ctx.kafka.createTopics(List.of(in, out), 3);
        Baselines baselines = new Baselines(ctx);
        Map<String, Long> intended = new HashMap<>();
        try (OutputWatcher<OrderCommand> watcher = new OutputWatcher<>(
                        ctx.kafka, out, ctx.topics.commands().valueSerde().deserializer(), null, (k, v) -> true);
                ChildJvm app = baselines.startPassThrough(in, out, "latency");
                KafkaProducer<String, OrderCommand> producer = new KafkaProducer<>(
                        producerProps(),
                        new StringSerializer(),
                        ctx.topics.commands().valueSerde().serializer())) {
            // warm the path (JIT, connections, transactions) before measuring
            send(producer, in, rate, Duration.ofSeconds(3), new HashMap<>(), "warm");
            Sleep.millis(1_000);
            send(producer, in, rate, duration, intended, "lat");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline
                    && !intended.keySet().stream().allMatch(id -> watcher.firstSeen(id) != null)) {
                Sleep.millis(50);
            }
            LatencyRecorder rec = new LatencyRecorder();
            intended.forEach((id, due) -> {
                Long seen = watcher.firstSeen(id);
                if (seen == null) {
                    rec.error("not seen", System.nanoTime());
                } else {
                    rec.ok(seen - due, seen);
                }
            });
            return rec;
        } finally {
            ctx.kafka.deleteTopics(List.of(in, out));
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
            String id = OrderFactory.newOrderId();
            intended.put(id, due);
            producer.send(new ProducerRecord<>(topic, id, ctx.orders.placeCommand(tag, i, id, now)));
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
