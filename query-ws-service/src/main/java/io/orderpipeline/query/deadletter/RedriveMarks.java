package io.orderpipeline.query.deadletter;

import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.stereotype.Component;

/**
 * Which dead letters were re-driven: the compacted {@code orders.redrives} topic that ingest-api writes in the same
 * transaction as the re-driven record (key = ref, value = who, when, where to, as ingest-api wrote it), read whole on
 * each request ({@code read_committed}: a mark whose transaction aborted never happened). A compacted topic of one
 * small record per re-drive stays small ({@code orders.topics.redrives}); a read that does not reach the end within {@code
 * orders.dead-letters.read-timeout} answers with the marks read so far.
 */
@Component
class RedriveMarks {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaClients clients;
    private final DeadLetterProperties properties;
    private final String topic;

    RedriveMarks(KafkaClients clients, DeadLetterProperties properties, TopicSettings topics) {
        this.clients = clients;
        this.properties = properties;
        this.topic = topics.redrives();
    }

    /** ref → the mark's value as text (latest per ref; a tombstone removes the mark). */
    Map<String, String> all() {
        Map<String, String> marks = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(
                Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        IsolationLevel.READ_COMMITTED.toString(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (TimeoutException e) {
                return marks;
            }
            if (infos == null || infos.isEmpty()) {
                return marks; // nothing was ever re-driven
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + properties.readTimeout().toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.key() == null) {
                        continue;
                    }
                    String ref = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        marks.remove(ref);
                    } else {
                        marks.put(ref, new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return marks;
    }
}
