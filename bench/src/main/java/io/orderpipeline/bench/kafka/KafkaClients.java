package io.orderpipeline.bench.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka clients for the harness, configured once: loopback broker, bench client ids. */
public final class KafkaClients {

    private final String bootstrap;

    public KafkaClients(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "bench-admin"));
    }

    /** True when a broker answers within {@code timeout}. */
    public boolean reachable(Duration timeout) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) timeout.toMillis()))) {
            admin.describeCluster().nodes().get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Collection<String> names, int partitions) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = names.stream()
                    .filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + names, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes topics (best effort): baselines leave no data behind. */
    public void deleteTopics(Collection<String> names) {
        try (Admin admin = admin()) {
            admin.deleteTopics(names).all().get();
        } catch (Exception ignored) {
            // best effort
        }
    }

    /** Sum of the end offsets of {@code topic}: the number of records ever written (before compaction). */
    public long endOffsetSum(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer("bench-offsets", false)) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic, Duration.ofSeconds(30));
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** End offsets of every partition of {@code topic}. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer("bench-offsets", true)) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic, Duration.ofSeconds(30));
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /**
     * A fast producer for loading data: acks=all and idempotent like ingest-api, but batching generously, since here
     * the point is to fill a topic, not to measure a request.
     */
    public <K, V> KafkaProducer<K, V> bulkProducer(Serializer<K> keys, Serializer<V> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-bulk");
        return new KafkaProducer<>(props, keys, values);
    }

    public KafkaProducer<byte[], byte[]> bytesProducer() {
        return bulkProducer(new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer that is assigned partitions explicitly (no group), reading committed data only. */
    public <K, V> KafkaConsumer<K, V> consumer(String clientId, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(consumerProps(clientId, true), keys, values);
    }

    public KafkaConsumer<byte[], byte[]> bytesConsumer(String clientId, boolean committedOnly) {
        return new KafkaConsumer<>(
                consumerProps(clientId, committedOnly), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> consumerProps(String clientId, boolean committedOnly) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }

    /**
     * Assigns every partition of {@code topic} to {@code consumer}, positioned at {@code from} (or the end). A topic
     * created a moment ago may not be in the broker's metadata yet ({@code partitionsFor} is then empty): this waits
     * for it, up to 30 s, rather than silently watching nothing.
     */
    public static void assignAll(KafkaConsumer<?, ?> consumer, String topic, Map<TopicPartition, Long> from) {
        List<TopicPartition> partitions = partitionsOf(consumer, topic, Duration.ofSeconds(30));
        consumer.assign(partitions);
        if (from == null) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve now, not at the first poll
        } else {
            partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
        }
    }

    /** The partitions of {@code topic} once its metadata is known; fails after {@code timeout}. */
    static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topic " + topic + " has no partitions in the metadata after " + timeout);
            }
            io.orderpipeline.bench.stack.Sleep.millis(100);
        }
    }
}
