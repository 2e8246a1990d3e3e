package io.orderpipeline.ingest.support;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a command topic on the real broker, with the production deserializer, from the beginning up to the end
 * offsets at the time of the call: exactly what had been acknowledged when {@link #readAll()} was called.
 */
public final class CommandTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, OrderCommand> consumer;
    private final String topic;

    public CommandTopicReader(String bootstrapServers, String registryUrl, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                AvroSerdes.registry(registryUrl).valueSerde(OrderCommand.class).deserializer());
    }

    /** Every record of the topic, in partition order. */
    public List<ConsumerRecord<String, OrderCommand>> readAll() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        List<ConsumerRecord<String, OrderCommand>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read " + topic + " up to " + end);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records.stream()
                .filter(r -> r.offset() < end.get(new TopicPartition(r.topic(), r.partition())))
                .collect(Collectors.toList());
    }

    /** The values of {@link #readAll()}. */
    public List<OrderCommand> commands() {
        return readAll().stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }

    /** Sum of the end offsets: how many records were ever appended. */
    public long endOffsetSum() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toList());
        return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
