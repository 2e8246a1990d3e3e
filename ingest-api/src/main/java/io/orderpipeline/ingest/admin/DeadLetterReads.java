package io.orderpipeline.ingest.admin;

import io.orderpipeline.shared.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a re-drive reads: one dead letter by partition and offset, and the marks of re-driven refs. Plain consumers,
 * assigned (no group, nothing committed), {@code read_committed}, closed after each read; bounded by a timeout.
 */
final class DeadLetterReads {

    private final KafkaClients clients;

    DeadLetterReads(KafkaClients clients) {
        this.clients = clients;
    }

    /** The dead letter at the ref's partition and offset, read {@code read_committed} without a group. */
    ConsumerRecord<byte[], byte[]> read(DeadLetterRef ref, Duration timeout) {
        TopicPartition partition = new TopicPartition(ref.topic(), ref.partition());
        try (Consumer<byte[], byte[]> consumer = consumer("ingest-api-redrive-read")) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            if (ref.offset() >= end) {
                throw AdminProblems.notFound(ref);
            }
            consumer.seek(partition, ref.offset());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && consumer.position(partition, timeout) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == ref.offset()) {
                        return record;
                    }
                    if (record.offset() > ref.offset()) {
                        throw AdminProblems.notFound(ref); // compacted away, an aborted write, or a control record
                    }
                }
            }
            throw AdminProblems.notFound(ref);
        } catch (KafkaException e) {
            throw AdminProblems.unavailable(ref, e);
        }
    }

    /**
     * The latest value of {@code key} on {@code partition}, if any: the partition read {@code read_committed} from its
     * start to its end (its last stable offset, so no transaction is left undecided before it).
     */
    Optional<String> latest(TopicPartition partition, byte[] key, Duration timeout) {
        String found = null;
        try (Consumer<byte[], byte[]> consumer = consumer("ingest-api-redrive-marks")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException(
                            partition + " not read within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(record.key(), key)) {
                        found = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private Consumer<byte[], byte[]> consumer(String clientId) {
        return clients.consumer(
                Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        clientId + "-" + UUID.randomUUID()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
