package io.orderpipeline.bench.kafka;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches an output topic (committed records only, from its end at construction, or from given offsets) and notes
 * when each key first produced a record that {@code counts}: the moment a pipeline's result became visible to a
 * Kafka consumer. What identifies a result is the record key, or what an identity function reads from the record
 * (the order id of a command keyed by its account). Runs on its own thread; readers see a consistent view through
 * concurrent maps.
 */
public final class OutputWatcher<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutputWatcher.class);

    /** Called on the watcher thread for each record, counted or not. */
    public interface Listener<V> {
        void record(ConsumerRecord<String, V> record, long seenNanos);
    }

    private final KafkaConsumer<String, V> consumer;
    private final BiPredicate<String, V> counts;
    private final BiFunction<String, V, String> identity;
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Listener<V> listener;
    private volatile long records;

    public OutputWatcher(
            KafkaClients kafka,
            String topic,
            Deserializer<V> values,
            Map<TopicPartition, Long> from,
            BiPredicate<String, V> counts) {
        this(kafka, topic, values, from, counts, (key, value) -> key);
    }

    /** A watcher whose results are identified by {@code identity(key, value)} rather than by the key. */
    public OutputWatcher(
            KafkaClients kafka,
            String topic,
            Deserializer<V> values,
            Map<TopicPartition, Long> from,
            BiPredicate<String, V> counts,
            BiFunction<String, V, String> identity) {
        this.consumer = kafka.consumer("bench-watch-" + topic, new StringDeserializer(), values);
        this.counts = counts;
        this.identity = identity;
        KafkaClients.assignAll(consumer, topic, from);
        this.thread = new Thread(this::loop, "watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public OutputWatcher<V> listener(Listener<V> listener) {
        this.listener = listener;
        return this;
    }

    private void loop() {
        try {
            while (running.get()) {
                var batch = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, V> record : batch) {
                    records++;
                    Listener<V> l = listener;
                    if (l != null) {
                        l.record(record, now);
                    }
                    String id = record.value() == null && record.key() == null
                            ? null
                            : identity.apply(record.key(), record.value());
                    if (id != null && counts.test(record.key(), record.value())) {
                        firstSeen.putIfAbsent(id, now);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } catch (RuntimeException e) {
            log.warn("watcher stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    /** Keys counted so far. */
    public int count() {
        return firstSeen.size();
    }

    /** All records read so far (counted or not). */
    public long records() {
        return records;
    }

    public Long firstSeen(String key) {
        return firstSeen.get(key);
    }

    public Map<String, Long> firstSeen() {
        return firstSeen;
    }

    /** Waits until {@code n} keys have counted; false on timeout. */
    public boolean awaitCount(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count() < n && System.nanoTime() < deadline) {
            io.orderpipeline.bench.stack.Sleep.millis(20);
        }
        return count() >= n;
    }

    /**
     * Throughput over the middle of a burst: keys per second between the moments the {@code lo} and {@code hi}
     * fractions of {@code expected} keys had counted. Leaves out start-up and the tail.
     */
    public double steadyRate(int expected, double lo, double hi) {
        long[] times = firstSeen.values().stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(times);
        int a = (int) Math.floor(expected * lo);
        int b = Math.min(times.length, (int) Math.ceil(expected * hi)) - 1;
        if (b <= a || a >= times.length) {
            return Double.NaN;
        }
        double seconds = (times[b] - times[a]) / 1e9;
        return seconds <= 0 ? Double.NaN : (b - a) / seconds;
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
