package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.ingest.idempotency.IdempotencyRecord;
import io.orderpipeline.ingest.idempotency.IdempotencyStore;
import io.orderpipeline.ingest.order.OrderIds;
import io.orderpipeline.ingest.order.PlaceOrder;
import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The full HTTP path of one instance on a real broker and a real schema registry. */
@SpringBootTest(
        classes = IngestApiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + IngestApiApplication.CONFIG_NAME)
class OrderIngestTest {

    static final String TOPIC = "orders.commands";
    static CommandTopicReader topic;

    @Value("${local.server.port}")
    int port;

    @Autowired
    IdempotencyStore keys;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestBroker::shared);
        registry.add("orders.registry.url", TestRegistry::url);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer::issuerUri);
    }

    @BeforeAll
    static void openTopic() {
        topic = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), TOPIC);
    }

    @BeforeEach
    void ready() {
        new Http(port).awaitReady();
    }

    @AfterAll
    static void closeTopic() {
        topic.close();
    }

    @Test
    void shouldWritePlaceCommandAndAnswer202WithLocation() {
        // given
        Http http = new Http(port);

        // when
        HttpResponse<String> response = http.postJson("/orders", Http.limitOrder("c-slice-1"));

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = Http.json(response);
        String orderId = body.get("orderId").stringValue();
        assertThat(UUID.fromString(orderId).version()).isEqualTo(7);
        assertThat(body.get("status").stringValue()).isEqualTo("PENDING");
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + orderId);
        OrderCommand command = single(orderId);
        assertThat(command.getType()).isEqualTo(CommandType.PLACE);
        assertThat(command.getAccountId()).isEqualTo("acc-1");
        assertThat(command.getClientOrderId()).isEqualTo("c-slice-1");
        assertThat(command.getSymbol()).isEqualTo("AAPL");
        assertThat(command.getSide()).isEqualTo(Side.BUY);
        assertThat(command.getOrderType()).isEqualTo(OrderType.LIMIT);
        assertThat(command.getQuantity()).isEqualTo(100);
        assertThat(command.getPrice()).isEqualTo(new BigDecimal("187.250000"));
        assertThat(command.getCommandId()).isEqualTo(body.get("commandId").stringValue());
        assertThat(command.getIdempotencyKey()).isNull();
        assertThat(command.getRequestedAt()).isNotNull();
        assertThat(recordsOf(orderId))
                .singleElement()
                .satisfies(record ->
                        assertThat(record.key()).as("keyed by account").isEqualTo("acc-1"));
    }

    @Test
    void shouldWriteMarketOrderWithNumericQuantityAndNoPrice() {
        // given
        String body = """
                {"accountId":"acc-2","clientOrderId":"c-mkt","symbol":"MSFT","side":"SELL",\
                "orderType":"MARKET","quantity":5}""";

        // when
        HttpResponse<String> response = new Http(port).postJson("/orders", body);

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        OrderCommand command = single(Http.json(response).get("orderId").stringValue());
        assertThat(command.getOrderType()).isEqualTo(OrderType.MARKET);
        assertThat(command.getPrice()).isNull();
    }

    @Test
    void shouldWriteCancelCommandForAnOrder() {
        // given
        Http http = new Http(port);
        String orderId = Http.json(http.postJson("/orders", Http.limitOrder("c-to-cancel")))
                .get("orderId")
                .stringValue();

        // when
        HttpResponse<String> response = http.postJson("/orders/" + orderId + "/cancel", "");

        // then
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + orderId);
        assertThat(Http.json(response).get("status").stringValue()).isEqualTo("CANCEL_REQUESTED");
        List<OrderCommand> commands = commandsOf(orderId);
        assertThat(commands).extracting(OrderCommand::getType).containsExactly(CommandType.PLACE, CommandType.CANCEL);
        List<ConsumerRecord<String, OrderCommand>> records = recordsOf(orderId);
        assertThat(records.get(0).key()).isEqualTo("acc-1");
        assertThat(records.get(1).key()).isEqualTo(orderId);
        assertThat(records.get(1).partition())
                .as("the cancel lands in the partition of the order's PLACE")
                .isEqualTo(records.get(0).partition());
    }

    /** A request the edge must refuse, the status it must get and the field its problem must name. */
    record BadRequest(String name, Function<Http, HttpRequest> request, int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadRequest> badRequests() {
        String marker = "c-bad";
        return Stream.of(
                json("malformed JSON", "{\"accountId\":\"acc-1\",\"clientOrderId\":\"" + marker + "\"", 400, "body"),
                json("empty body", "", 400, "body"),
                json("quantity as string", body(marker, "\"LIMIT\"", "\"100\"", "\"1\""), 400, "quantity"),
                json("unknown side", body(marker, "\"LIMIT\"", "1", "\"1\"").replace("BUY", "HOLD"), 400, "side"),
                json("missing orderType", body(marker, "null", "1", "\"1\""), 400, "orderType"),
                json("absurd quantity", body(marker, "\"LIMIT\"", "1000000000", "\"1\""), 400, "quantity"),
                json("zero quantity", body(marker, "\"LIMIT\"", "0", "\"1\""), 400, "quantity"),
                json("LIMIT without price", body(marker, "\"LIMIT\"", "1", "null"), 400, "price"),
                json("MARKET with price", body(marker, "\"MARKET\"", "1", "\"1\""), 400, "price"),
                json("price beyond 6 decimals", body(marker, "\"LIMIT\"", "1", "1.1234567"), 400, "price"),
                json("over-long clientOrderId", body("c".repeat(65), "\"LIMIT\"", "1", "\"1\""), 400, "clientOrderId"),
                json("unknown field", body(marker, "\"LIMIT\"", "1", "\"1\"").replace("{", "{\"qty\":1,"), 400, "qty"),
                new BadRequest(
                        "text/plain",
                        http -> HttpRequest.newBuilder(http.uri("/orders"))
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString(body(marker, "\"LIMIT\"", "1", "\"1\"")))
                                .build(),
                        415,
                        "Content-Type"),
                new BadRequest(
                        "oversized with Content-Length",
                        http -> HttpRequest.newBuilder(http.uri("/orders"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(oversized(marker)))
                                .build(),
                        413,
                        null),
                new BadRequest(
                        "oversized chunked",
                        http -> HttpRequest.newBuilder(http.uri("/orders"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                                        oversized(marker).getBytes())))
                                .build(),
                        413,
                        null),
                new BadRequest(
                        "bad Idempotency-Key",
                        http -> HttpRequest.newBuilder(http.uri("/orders"))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", "k".repeat(256))
                                .POST(HttpRequest.BodyPublishers.ofString(body(marker, "\"LIMIT\"", "1", "\"1\"")))
                                .build(),
                        400,
                        "Idempotency-Key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void shouldRefuseBadInputWithProblemAndWriteNothing(BadRequest bad) {
        // given
        Http http = new Http(port);
        Set<String> before = commandIds();

        // when
        HttpResponse<String> response = http.send(bad.request().apply(http));

        // then
        assertThat(response.statusCode()).isEqualTo(bad.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Http.json(response);
        assertThat(problem.get("status").intValue()).isEqualTo(bad.status());
        if (bad.field() != null) {
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(e -> fields.add(e.get("field").stringValue()));
            assertThat(fields).contains(bad.field());
        }
        assertThat(writtenSince(before, http)).isEmpty();
    }

    @Test
    void shouldReturnTheOriginalOrderForARepeatedKeyAndWriteOnce() {
        // given
        Http http = new Http(port);
        String key = "key-" + UUID.randomUUID();
        HttpResponse<String> first = http.postJson("/orders", Http.limitOrder("c-idem-1"), "Idempotency-Key", key);
        String orderId = Http.json(first).get("orderId").stringValue();

        // when
        HttpResponse<String> repeat = http.postJson(
                "/orders", Http.limitOrder("c-idem-1").replace("\"187.25\"", "187.250"), "Idempotency-Key", key);

        // then
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(Http.json(repeat).get("orderId").stringValue()).isEqualTo(orderId);
        assertThat(Http.json(repeat).get("commandId"))
                .isEqualTo(Http.json(first).get("commandId"));
        assertThat(Http.json(repeat).get("acceptedAt"))
                .isEqualTo(Http.json(first).get("acceptedAt"));
        assertThat(repeat.headers().firstValue("Location")).hasValue("/orders/" + orderId);
        assertThat(writtenSince(Set.of(), http))
                .extracting(OrderCommand::getOrderId)
                .containsOnlyOnce(orderId);
        assertThat(commandsOf(orderId))
                .singleElement()
                .satisfies(c -> assertThat(c.getIdempotencyKey()).isEqualTo(key));
    }

    @Test
    void shouldReplayAKeyAcceptedBeforeOrderIdsCarriedARoute() throws Exception {
        // given a keyed PLACE accepted before the upgrade: remembered under the unrouted name-based id
        Http http = new Http(port);
        String key = "key-" + UUID.randomUUID();
        String legacyId = OrderIds.fromName("place\u0000acc-1\u0000" + key).toString();
        PlaceOrder order = new PlaceOrder(
                "acc-1", "c-legacy", "AAPL", Side.BUY, OrderType.LIMIT, 100, new BigDecimal("187.250000"));
        Instant acceptedAt = Instant.parse("2026-12-01T10:00:00.123Z");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(keys.record(legacyId, new IdempotencyRecord(order.fingerprint(), "cmd-legacy", acceptedAt)))
                    .get(10, TimeUnit.SECONDS);
        }
        Set<String> before = commandIds();

        // when the client retries it after the upgrade
        HttpResponse<String> repeat = http.postJson("/orders", Http.limitOrder("c-legacy"), "Idempotency-Key", key);

        // then it is a replay of the original order, and nothing is written
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(Http.json(repeat).get("orderId").stringValue()).isEqualTo(legacyId);
        assertThat(Http.json(repeat).get("commandId").stringValue()).isEqualTo("cmd-legacy");
        assertThat(Http.json(repeat).get("acceptedAt").stringValue()).isEqualTo(acceptedAt.toString());
        assertThat(writtenSince(before, http)).isEmpty();
    }

    @Test
    void shouldAnswer422ForTheSameKeyWithAnotherBodyAndWriteNothing() {
        // given
        Http http = new Http(port);
        String key = "key-" + UUID.randomUUID();
        String orderId = Http.json(http.postJson("/orders", Http.limitOrder("c-idem-2"), "Idempotency-Key", key))
                .get("orderId")
                .stringValue();
        Set<String> before = commandIds();

        // when
        HttpResponse<String> other =
                http.postJson("/orders", Http.limitOrder("c-idem-2").replace("100", "200"), "Idempotency-Key", key);

        // then
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(writtenSince(before, http)).isEmpty();
        assertThat(commandsOf(orderId)).hasSize(1);
        assertThat(topic.commands()).filteredOn(c -> c.getQuantity() == 200).isEmpty();
    }

    @Test
    void shouldCoalesceConcurrentRequestsWithOneKeyIntoOneCommand() throws Exception {
        // given
        Http http = new Http(port);
        String key = "key-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(8);

        // when
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                responses.add(CompletableFuture.supplyAsync(
                        () -> http.postJson("/orders", Http.limitOrder("c-idem-3"), "Idempotency-Key", key), clients));
            }
            CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get();
        } finally {
            clients.shutdown();
        }

        // then
        Set<String> orderIds = responses.stream()
                .map(CompletableFuture::join)
                .peek(r -> assertThat(r.statusCode()).isIn(200, 202))
                .map(r -> Http.json(r).get("orderId").stringValue())
                .collect(Collectors.toSet());
        assertThat(orderIds).hasSize(1);
        assertThat(responses.stream().filter(r -> r.join().statusCode() == 202)).hasSize(1);
        assertThat(commandsOf(orderIds.iterator().next())).hasSize(1);
    }

    @Test
    void shouldExposeHealthMetricsAndOpenApi() {
        // given
        Http http = new Http(port);
        http.postJson("/orders", Http.limitOrder("c-observed"));

        // then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode health = Http.json(http.get("/actuator/health"));
            assertThat(health.at("/components/kafka/status").stringValue()).isEqualTo("UP");
            assertThat(health.at("/components/idempotency/status").stringValue())
                    .isEqualTo("UP");
        });
        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        // metrics are for operators (orders:admin); health and the API docs are open
        assertThat(http.get("/actuator/prometheus").statusCode()).isEqualTo(403);
        String prometheus = http.as(TestIssuer.OPS).get("/actuator/prometheus").body();
        assertThat(prometheus)
                .contains("ingest_orders_accepted_total{")
                .contains("ingest_produce_latency_seconds_bucket{")
                .contains("ingest_idempotency_keys");
        JsonNode api = Http.json(http.anonymous().get("/v3/api-docs"));
        assertThat(api.at("/components/securitySchemes/bearer/scheme").stringValue())
                .isEqualTo("bearer");
        assertThat(api.at("/paths/~1orders/post/security/0/bearer").isMissingNode())
                .isFalse();
        assertThat(api.at("/paths/~1orders/post")).isNotNull();
        assertThat(api.at("/paths/~1orders~1{orderId}~1cancel/post").isMissingNode())
                .isFalse();
        assertThat(api.at("/paths/~1orders~1batch/post/responses/202").isMissingNode())
                .isFalse();
        assertThat(api.at("/components/schemas/BatchItem/properties/problem").isMissingNode())
                .isFalse();
        assertThat(api.at("/components/schemas/PlaceOrderRequest/properties/price")
                        .isMissingNode())
                .isFalse();
        assertThat(http.anonymous().get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        assertThat(http.anonymous().get("/actuator/health").statusCode()).isEqualTo(200);
    }

    private static BadRequest json(String name, String body, int status, String field) {
        return new BadRequest(
                name,
                http -> HttpRequest.newBuilder(http.uri("/orders"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                status,
                field);
    }

    private static String body(String clientOrderId, String orderType, String quantity, String price) {
        return ("{\"accountId\":\"acc-1\",\"clientOrderId\":\"%s\",\"symbol\":\"AAPL\",\"side\":\"BUY\","
                        + "\"orderType\":%s,\"quantity\":%s,\"price\":%s}")
                .formatted(clientOrderId, orderType, quantity, price);
    }

    private static String oversized(String clientOrderId) {
        return body(clientOrderId, "\"LIMIT\"", "1", "\"1\"").replace("{", "{\"pad\":\"" + "x".repeat(20_000) + "\",");
    }

    private static Set<String> commandIds() {
        return topic.commands().stream().map(OrderCommand::getCommandId).collect(Collectors.toSet());
    }

    /**
     * Commands committed since {@code before}, other than a barrier order posted now. The command log commits in
     * queue order, so once the barrier is acknowledged everything queued before it is committed (or never will be).
     */
    private static List<OrderCommand> writtenSince(Set<String> before, Http http) {
        HttpResponse<String> barrier = http.postJson("/orders", Http.limitOrder("c-barrier-" + UUID.randomUUID()));
        assertThat(barrier.statusCode()).isEqualTo(202);
        String barrierId = Http.json(barrier).get("commandId").stringValue();
        List<OrderCommand> all = topic.commands();
        assertThat(all).extracting(OrderCommand::getCommandId).contains(barrierId);
        return all.stream()
                .filter(c ->
                        !before.contains(c.getCommandId()) && !c.getCommandId().equals(barrierId))
                .toList();
    }

    private static List<OrderCommand> commandsOf(String orderId) {
        return topic.commands().stream()
                .filter(c -> c.getOrderId().equals(orderId))
                .toList();
    }

    private static List<ConsumerRecord<String, OrderCommand>> recordsOf(String orderId) {
        return topic.readAll().stream()
                .filter(r -> r.value().getOrderId().equals(orderId))
                .toList();
    }

    private static OrderCommand single(String orderId) {
        List<OrderCommand> commands = commandsOf(orderId);
        assertThat(commands).hasSize(1);
        return commands.get(0);
    }
}
