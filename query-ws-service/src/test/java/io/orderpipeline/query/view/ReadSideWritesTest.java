package io.orderpipeline.query.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * What the read side writes back to Kafka per order state it reads. Before issue 11 it was five changelog records per
 * transition (orders-by-id plus the four indexes); the by-id store now uses {@code orders.state} itself as its
 * changelog and the indexes have none, so the read side writes nothing.
 */
class ReadSideWritesTest {

    private static final int ORDERS = 40;
    private static final int TRANSITIONS = 3;

    @Test
    void shouldWriteNoRecordToKafkaForTheStatesItReads() throws Exception {
        // given a query instance over its own state topic
        String topic = "orders.state.writes-" + UUID.randomUUID();
        String applicationId = "query-writes-" + UUID.randomUUID();
        try (QueryInstance instance =
                        QueryInstance.start(topic, applicationId, Files.createTempDirectory("query-writes"), Map.of());
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.bootstrapServers()));
                Orders orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), topic)) {

            // when every order goes through three transitions (PENDING, RETRYING, PLACED)
            Instant created = Instant.now();
            for (int i = 0; i < ORDERS; i++) {
                String orderId = "w-" + i + "-" + UUID.randomUUID();
                orders.sendAsync(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
                orders.sendAsync(Orders.state(orderId, "AAPL", OrderStatus.RETRYING, 2, created));
                orders.sendAsync(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 3, created));
            }
            orders.flush();
            // and the read side has processed and committed all of them (a commit flushes what it wrote first)
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> committedToEnd(admin, topic, applicationId));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> instance.get("/orders?status=PLACED&limit=100")
                                    .body()
                                    .split("\"orderId\"")
                                    .length
                            == ORDERS + 1);

            // then no changelog topic exists and the Streams client has sent no record at all
            long written = changelogRecords(admin, applicationId);
            long sent = recordsSent(instance.bean(OrderViewStreams.class).streams());
            System.out.printf(
                    "read side wrote %d changelog records (%d sent) for %d transitions: %.2f per transition%n",
                    written, sent, ORDERS * TRANSITIONS, (double) written / (ORDERS * TRANSITIONS));
            assertThat(changelogTopics(admin, applicationId)).isEmpty();
            assertThat(written).isZero();
            assertThat(sent).isZero();
        }
    }

    private static boolean committedToEnd(Admin admin, String topic, String applicationId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, Long> ends = endOffsets(admin, List.of(topic));
        return !ends.isEmpty()
                && ends.entrySet().stream().allMatch(end -> {
                    OffsetAndMetadata done = committed.get(end.getKey());
                    return end.getValue() == 0 || (done != null && done.offset() >= end.getValue());
                });
    }

    private static Set<String> changelogTopics(Admin admin, String applicationId) throws Exception {
        return admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(applicationId + "-") && name.endsWith("-changelog"))
                .collect(Collectors.toSet());
    }

    private static long changelogRecords(Admin admin, String applicationId) throws Exception {
        Set<String> changelogs = changelogTopics(admin, applicationId);
        if (changelogs.isEmpty()) {
            return 0;
        }
        return endOffsets(admin, changelogs).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, java.util.Collection<String> topics)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(description -> description.partitions().stream()
                        .map(p -> new TopicPartition(description.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The producer's {@code record-send-total} summed over the client's stream threads. */
    private static long recordsSent(KafkaStreams streams) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.group().equals("producer-metrics") && name.name().equals("record-send-total")) {
                total += ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        return (long) total;
    }
}
