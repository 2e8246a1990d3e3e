package io.orderpipeline.ingest.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a command topic on the real broker, with the production deserializer and {@code read_committed} (as the
 * stream-processor reads it), from the beginning up to the end. It first waits until no transaction is open on the
 * topic (last stable offset = high watermark): a committed transaction becomes visible only once the coordinator has
 * written its markers, a few milliseconds after the producer's commit returned.
 */
public final class CommandTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, OrderCommand> consumer;
    private final Admin admin;
    private final String topic;

    public CommandTopicReader(String bootstrapServers, String registryUrl, String topic) {
        this.topic = topic;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
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
        Map<TopicPartition, Long> end = await().atMost(Duration.ofSeconds(30))
                .until(() -> stableEnd(partitions), Optional::isPresent)
                .orElseThrow();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
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

    /**
     * Runs {@code requests}, then {@code marker} (writes one command and returns its id), and asserts that the marker is
     * the only command written since: nothing of the requests reached the topic. Commands are committed in queue
     * order, so once the marker is visible, nothing queued before it is still on its way.
     *
     * @return what {@code requests} returned
     */
    public <T> T assertNothingWritten(Supplier<T> requests, Supplier<String> marker) {
        Set<String> before = commands().stream().map(OrderCommand::getCommandId).collect(Collectors.toSet());
        T result = requests.get();
        String markerId = marker.get();
        assertThat(commands())
                .filteredOn(c -> !before.contains(c.getCommandId()))
                .extracting(OrderCommand::getCommandId)
                .containsExactly(markerId);
        return result;
    }

    /** The end offsets if no transaction is open on any partition, else empty. */
    private Optional<Map<TopicPartition, Long>> stableEnd(List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest =
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> stable = offsets(latest, IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> high = offsets(latest, IsolationLevel.READ_UNCOMMITTED);
        return stable.equals(high) ? Optional.of(stable) : Optional.empty();
    }

    private Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetSpec> request, IsolationLevel isolation)
            throws Exception {
        return admin
                .listOffsets(request, new ListOffsetsOptions(isolation))
                .all()
                .get(10, TimeUnit.SECONDS)
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
