package io.orderpipeline.ingest.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.ingest.IngestApiApplication;
import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.schemas.avro.Side;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operators' write endpoints end to end: real tokens of the real issuer, real HTTP, a real broker; what they write
 * is read back {@code read_committed}. Dead letters are written the way the stream-processor writes them.
 */
@SpringBootTest(
        classes = IngestApiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApiApplication.CONFIG_NAME,
            "orders.topics.commands=" + AdminEndpointsTest.COMMANDS,
            "orders.topics.events=" + AdminEndpointsTest.EVENTS,
            "orders.topics.dead-letter=" + AdminEndpointsTest.DLT,
            "orders.topics.redrives=" + AdminEndpointsTest.REDRIVES,
            "orders.topics.idempotency=idempotency.admin",
            "orders.topics.dead-letter-queue=" + AdminEndpointsTest.DLQ
        })
class AdminEndpointsTest {

    static final String COMMANDS = "commands.admin";
    static final String EVENTS = "events.admin";
    static final String DLT = "place-dlt.admin";
    static final String DLQ = "dlq.admin";
    static final String REDRIVES = "redrives.admin";
    /** Where the poison records came from (any input topic of the processor; not the commands topic read here). */
    static final String POISON = "poison-source.admin";

    private static CommandTopicReader commands;

    @Value("${local.server.port}")
    int port;

    @Autowired
    OrderTopics topics;

    private Http ops;
    private Http trader;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestBroker::shared);
        registry.add("orders.registry.url", TestRegistry::url);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer::issuerUri);
    }

    @BeforeAll
    static void topicsOfTheProcessor() throws Exception {
        // the stream-processor creates these; ingest-api only writes (events) or reads (dead letters) them
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared()))) {
            admin.createTopics(List.of(
                            new NewTopic(EVENTS, 3, (short) 1),
                            new NewTopic(DLT, 3, (short) 1),
                            new NewTopic(DLQ, 3, (short) 1),
                            new NewTopic(POISON, 3, (short) 1)))
                    .all()
                    .get();
        }
        commands = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), COMMANDS);
    }

    @AfterAll
    static void close() {
        commands.close();
    }

    @BeforeEach
    void clients() {
        ops = new Http(port).as(TestIssuer.OPS);
        trader = new Http(port).as(TestIssuer.TRADER_1);
        ops.awaitReady();
        await().atMost(Duration.ofSeconds(30)).until(() -> partitions(REDRIVES) == 3);
    }

    @Test
    void shouldWriteAReplayRoutedToTheOrdersPartitionNamingTheOperatorForEachRequest() {
        // given an order of acc-2
        String orderId =
                placed(trader.postJson("/orders", Http.limitOrder("c-admin-1").replace("acc-1", "acc-2")));

        // when ops replays it twice (the processor reopens a FAILED order once: ReplayTest, ReplayOnBrokerTest)
        HttpResponse<String> first = ops.postJson("/admin/orders/" + orderId + "/replay", "");
        HttpResponse<String> second = ops.postJson("/admin/orders/" + orderId + "/replay", "");

        // then both are queued REPLAY commands in the partition of the order's PLACE, no account, ops as principal
        assertThat(List.of(first, second)).allSatisfy(response -> {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(Http.json(response).get("status").stringValue()).isEqualTo("REPLAY_REQUESTED");
        });
        List<ConsumerRecord<String, OrderCommand>> records = commands.readAll().stream()
                .filter(r -> r.value().getOrderId().equals(orderId))
                .toList();
        assertThat(records)
                .extracting(r -> r.value().getType())
                .containsExactly(CommandType.PLACE, CommandType.REPLAY, CommandType.REPLAY);
        assertThat(records)
                .extracting(ConsumerRecord::partition)
                .containsOnly(records.get(0).partition());
        assertThat(records.subList(1, 3)).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(orderId);
            assertThat(r.value().getAccountId()).isNull();
            assertThat(r.value().getPrincipal()).isEqualTo(TestIssuer.OPS);
        });
    }

    @Test
    void shouldReplayManyOrdersInOneRequestAndCountThem() {
        // given two orders
        String a = placed(trader.postJson("/orders", Http.limitOrder("c-admin-bulk-a")));
        String b = placed(trader.postJson("/orders", Http.limitOrder("c-admin-bulk-b")));

        // when ops replays them, one twice, with an invalid id among them
        HttpResponse<String> response =
                ops.postJson("/admin/orders/replay", "[\"" + a + "\",\"" + b + "\",\"" + a + "\",\"nope\"]");

        // then one REPLAY per distinct valid id, and the counts say so
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        var counts = Http.json(response).get("counts");
        assertThat(counts.get("REPLAY_REQUESTED").intValue()).isEqualTo(2);
        assertThat(counts.get("DUPLICATE").intValue()).isEqualTo(1);
        assertThat(counts.get("INVALID").intValue()).isEqualTo(1);
        assertThat(commands.commands())
                .filteredOn(c -> c.getType() == CommandType.REPLAY)
                .extracting(OrderCommand::getOrderId)
                .containsOnlyOnce(a, b);
        // and the object form query-ws-service sends works the same
        String c = placed(trader.postJson("/orders", Http.limitOrder("c-admin-bulk-c")));
        HttpResponse<String> wrapped = ops.postJson("/admin/orders/replay", "{\"orderIds\":[\"" + c + "\"]}");
        assertThat(wrapped.statusCode()).as(wrapped.body()).isEqualTo(202);
        assertThat(Http.json(wrapped).get("counts").get("REPLAY_REQUESTED").intValue())
                .isEqualTo(1);
        // and a body of nothing valid is a 400
        assertThat(ops.postJson("/admin/orders/replay", "[\"nope\"]").statusCode())
                .isEqualTo(400);
        assertThat(ops.postJson("/admin/orders/replay", "[]").statusCode()).isEqualTo(400);
        assertThat(ops.postJson("/admin/orders/replay", "[1]").statusCode()).isEqualTo(400);
        assertThat(ops.postJson("/admin/orders/replay", "{\"ids\":[]}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void shouldRedriveAPoisonRecordToItsOriginalPartitionExactlyOnce() throws Exception {
        // given a poison record of partition 1 of the commands topic on the dead-letter queue, as Kafka Streams puts it
        String ref = deadLetter(DLQ, "acc-1", "not avro".getBytes(StandardCharsets.UTF_8), poisonHeaders(POISON, 1));

        // when ops re-drives it twice
        HttpResponse<String> first = ops.postJson("/admin/dead-letters/" + ref + "/redrive", "");
        HttpResponse<String> second = ops.postJson("/admin/dead-letters/" + ref + "/redrive", "");

        // then the first sends it back where it came from, the second is a 409
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(Http.json(first).get("topic").stringValue()).isEqualTo(POISON);
        assertThat(Http.json(first).get("partition").intValue()).isEqualTo(1);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(Http.json(second).get("type").stringValue())
                .isEqualTo("urn:orderpipeline:problem:dead-letter-already-redriven");
        // and exactly one copy is on the original partition: original key, value and headers, no error headers
        List<ConsumerRecord<byte[], byte[]>> copies = readAll(POISON).stream()
                .filter(r -> ref.equals(header(r, Redrives.REDRIVEN_FROM)))
                .toList();
        assertThat(copies).singleElement().satisfies(copy -> {
            assertThat(copy.partition()).isEqualTo(1);
            assertThat(new String(copy.key(), StandardCharsets.UTF_8)).isEqualTo("acc-1");
            assertThat(new String(copy.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(header(copy, "trace-id")).isEqualTo("t-1");
            assertThat(copy.headers().toArray())
                    .noneSatisfy(h -> assertThat(h.key()).startsWith("__streams.errors."));
        });
        // and one mark, one REDRIVEN event naming ops (keyed by the ref: the value decodes to no order)
        assertThat(readAll(REDRIVES))
                .filteredOn(r -> ref.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .singleElement()
                .satisfies(mark -> assertThat(new String(mark.value(), StandardCharsets.UTF_8))
                        .contains("\"principal\":\"ops\"", "\"topic\":\"" + POISON + "\""));
        assertThat(events(ref)).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(OrderEventType.REDRIVEN);
            assertThat(event.getPrincipal()).isEqualTo(TestIssuer.OPS);
            assertThat(event.getVersion()).isZero();
        });
    }

    @Test
    void shouldLetOnlyOneOfConcurrentRedrivesOfARefCommit() throws Exception {
        // given a poison record
        String ref = deadLetter(DLQ, "acc-2", "poison-2".getBytes(StandardCharsets.UTF_8), poisonHeaders(POISON, 0));

        // when four requests re-drive it at once
        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(
                    CompletableFuture.supplyAsync(() -> ops.postJson("/admin/dead-letters/" + ref + "/redrive", "")));
        }
        List<Integer> statuses = requests.stream()
                .map(CompletableFuture::join)
                .map(HttpResponse::statusCode)
                .toList();

        // then one 200, the others 409, and one copy on the original topic
        assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
        assertThat(readAll(POISON))
                .filteredOn(r -> ref.equals(header(r, Redrives.REDRIVEN_FROM)))
                .hasSize(1);
    }

    @Test
    void shouldRedriveAFailedPlacementAsAReplayOfItsOrder() throws Exception {
        // given the last attempt of a FAILED order on the placement dead-letter topic
        String orderId = OrderRouting.route(UUID.randomUUID(), "acc-1").toString();
        PlacementAttempt attempt = PlacementAttempt.newBuilder()
                .setOrderId(orderId)
                .setAccountId("acc-1")
                .setSymbol("AAPL")
                .setSide(Side.BUY)
                .setOrderType(OrderType.MARKET)
                .setQuantity(10)
                .setAttempt(5)
                .setDueAt(Instant.now())
                .setFirstAttemptAt(Instant.now())
                .build();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = topics.deadLetter().valueSerde().serializer().serialize(DLT, headers, attempt);
        String ref = deadLetter(DLT, orderId, value, headers);

        // when ops re-drives it
        HttpResponse<String> response = ops.postJson("/admin/dead-letters/" + ref + "/redrive", "");

        // then it is a REPLAY of the order in its partition, and a REDRIVEN event of the order
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.json(response).get("orderId").stringValue()).isEqualTo(orderId);
        List<ConsumerRecord<String, OrderCommand>> replays = commands.readAll().stream()
                .filter(r -> r.value().getOrderId().equals(orderId))
                .toList();
        assertThat(replays).singleElement().satisfies(r -> {
            assertThat(r.value().getType()).isEqualTo(CommandType.REPLAY);
            assertThat(r.value().getPrincipal()).isEqualTo(TestIssuer.OPS);
            assertThat(r.partition()).isEqualTo(OrderRouting.partitionOf(UUID.fromString(orderId), 3));
        });
        assertThat(events(orderId)).extracting(OrderEvent::getType).containsExactly(OrderEventType.REDRIVEN);
    }

    @Test
    void shouldRedriveManyRefsAndCountThem() throws Exception {
        // given one dead letter re-driven already and one not
        String done = deadLetter(DLQ, "acc-1", "p-3".getBytes(StandardCharsets.UTF_8), poisonHeaders(POISON, 2));
        String fresh = deadLetter(DLQ, "acc-1", "p-4".getBytes(StandardCharsets.UTF_8), poisonHeaders(POISON, 2));
        assertThat(ops.postJson("/admin/dead-letters/" + done + "/redrive", "").statusCode())
                .isEqualTo(200);

        // when ops re-drives both, an unknown ref and a malformed one
        HttpResponse<String> response = ops.postJson(
                "/admin/dead-letters/redrive",
                "{\"refs\":[\"" + done + "\",\"" + fresh + "\",\"dlq-0-999999\",\"bogus\"]}");

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var counts = Http.json(response).get("counts");
        assertThat(counts.get("REDRIVEN").intValue()).isEqualTo(1);
        assertThat(counts.get("ALREADY_REDRIVEN").intValue()).isEqualTo(1);
        assertThat(counts.get("NOT_FOUND").intValue()).isEqualTo(1);
        assertThat(counts.get("INVALID").intValue()).isEqualTo(1);
    }

    @Test
    void shouldRefuseEveryAdminEndpointToATraderAndWriteNothing() throws Exception {
        // given an order and a dead letter
        String orderId = placed(trader.postJson("/orders", Http.limitOrder("c-admin-403")));
        String ref = deadLetter(DLQ, "acc-1", "p-5".getBytes(StandardCharsets.UTF_8), poisonHeaders(POISON, 0));

        // when a trader (orders:write, no orders:admin) and an anonymous caller call every /admin endpoint
        List<Integer> traderStatuses = adminRequests(trader, orderId, ref);
        List<Integer> anonymousStatuses = adminRequests(trader.anonymous(), orderId, ref);

        // then 403 and 401, nothing written: no REPLAY, and the dead letter can still be re-driven once by ops
        assertThat(traderStatuses).containsOnly(403);
        assertThat(anonymousStatuses).containsOnly(401);
        assertThat(commands.commands())
                .filteredOn(c -> c.getOrderId().equals(orderId))
                .extracting(OrderCommand::getType)
                .containsExactly(CommandType.PLACE);
        assertThat(ops.postJson("/admin/dead-letters/" + ref + "/redrive", "").statusCode())
                .isEqualTo(200);
    }

    private static List<Integer> adminRequests(Http client, String orderId, String ref) {
        return List.of(
                        client.postJson("/admin/orders/" + orderId + "/replay", ""),
                        client.postJson("/admin/orders/replay", "[\"" + orderId + "\"]"),
                        client.postJson("/admin/dead-letters/" + ref + "/redrive", ""),
                        client.postJson("/admin/dead-letters/redrive", "[\"" + ref + "\"]"))
                .stream()
                .map(HttpResponse::statusCode)
                .toList();
    }

    // ----- helpers

    private static RecordHeaders poisonHeaders(String topic, int partition) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException".getBytes());
        headers.add("__streams.errors.message", "cannot deserialize".getBytes());
        headers.add("__streams.errors.topic", topic.getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.partition", String.valueOf(partition).getBytes());
        headers.add("__streams.errors.offset", "17".getBytes());
        return headers;
    }

    /** Writes a dead letter and returns its ref. */
    private static String deadLetter(String topic, String key, byte[] value, RecordHeaders headers) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            RecordMetadata written = producer.send(
                            new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers))
                    .get();
            return (topic.equals(DLT) ? "place" : "dlq") + "-" + written.partition() + "-" + written.offset();
        }
    }

    private List<OrderEvent> events(String key) {
        return readAll(EVENTS).stream()
                .filter(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> topics.events().valueSerde().deserializer().deserialize(EVENTS, r.headers(), r.value()))
                .collect(Collectors.toList());
    }

    /** Every committed record of {@code topic}, up to its end. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBroker.shared(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime())
                        .as("read " + topic + " to its end")
                        .isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static int partitions(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared()))) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
        } catch (Exception notThereYet) {
            return 0;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String placed(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
        return Http.json(response).get("orderId").stringValue();
    }
}
