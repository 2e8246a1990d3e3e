package io.orderpipeline.query.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.Records;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dead-letter admin API on a real broker with real tokens: placement DLT records (Spring-style binary headers) and
 * a poison DLQ record (Kafka Streams' text headers) are listed newest first with their headers decoded, paged without
 * repeats, shown one by one with the payload decoded (or base64), counted by reason, and marked re-driven from the
 * re-drive topic; a trader's token gets 403 on every operator endpoint.
 */
class DeadLetterApiTest {

    private static final String PLACE = "orders.place.dlt.api-" + UUID.randomUUID();
    private static final String DLQ = "orders.dlq.api-" + UUID.randomUUID();
    private static final String REDRIVES = "orders.redrives.api-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Records records;
    private static QueryInstance instance;

    @BeforeAll
    static void start() throws Exception {
        records = new Records();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(PLACE, 2, (short) 1),
                            new NewTopic(DLQ, 1, (short) 1),
                            new NewTopic(REDRIVES, 1, (short) 1)))
                    .all()
                    .get();
        }
        instance = QueryInstance.start(
                "orders.state.dl-api-" + UUID.randomUUID(),
                "query-dl-api-" + UUID.randomUUID(),
                Files.createTempDirectory("query-dl-api"),
                Map.of(
                        "orders.topics.dead-letter", PLACE,
                        "orders.topics.dead-letter-queue", DLQ,
                        "orders.topics.redrives", REDRIVES,
                        "orders.query.standby-replicas", "0"));
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        records.close();
    }

    @Test
    void shouldListShowCountAndMarkDeadLettersWithTheirHeadersDecoded() throws Exception {
        // given three failed placements on two partitions of the DLT and one poison command on the DLQ, re-driven once
        List<String> orderIds = List.of(uuid(), uuid(), uuid());
        List<String> placeRefs = new ArrayList<>();
        placeRefs.add(placement(0, orderIds.get(0), "venue rejected: exchange closed", 4));
        placeRefs.add(placement(1, orderIds.get(1), "venue rejected: exchange closed", 4));
        placeRefs.add(placement(0, orderIds.get(2), "venue rejected: unknown symbol", 1));
        byte[] poison = "not avro at all".getBytes(StandardCharsets.UTF_8);
        long dlqOffset = records.send(
                DLQ,
                0,
                bytes("acc-1"),
                poison,
                List.of(
                        text("__streams.errors.exception", "org.apache.kafka.common.errors.SerializationException"),
                        text("__streams.errors.message", "Unknown magic byte!"),
                        text("__streams.errors.topic", "orders.commands"),
                        text("__streams.errors.partition", "1"),
                        text("__streams.errors.offset", "42")));
        String dlqRef = "dlq-0-" + dlqOffset;
        records.send(
                REDRIVES,
                0,
                bytes(dlqRef),
                bytes("{\"principal\":\"ops\",\"at\":\"2026-12-01T16:00:00Z\",\"target\":\"orders.commands-1@7\"}"),
                List.of());

        // when the operator walks the DLT one record at a time
        List<JsonNode> walked = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page =
                    json(get("/admin/dead-letters?topic=place&limit=1" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("items").forEach(walked::add);
            pageSizes.add(page.get("items").size());
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asString();
            assertThat(++pages).isLessThan(10);
        } while (cursor != null);

        // then every page is full although each record is followed by its transaction's commit marker, and every
        // record is there once, newest first, with its headers decoded
        assertThat(pageSizes).containsExactly(1, 1, 1);
        assertThat(walked.stream().map(e -> e.get("ref").asString()).toList())
                .containsExactly(placeRefs.get(2), placeRefs.get(1), placeRefs.get(0));
        JsonNode newest = walked.get(0);
        assertThat(newest.get("orderId").asString()).isEqualTo(orderIds.get(2));
        assertThat(newest.get("exceptionClass").asString()).isEqualTo("io.orderpipeline.VenueRejected");
        assertThat(newest.get("exceptionMessage").asString()).isEqualTo("venue rejected: unknown symbol");
        assertThat(newest.get("originalTopic").asString()).isEqualTo("orders.place.retry.2");
        assertThat(newest.get("originalPartition").asInt()).isEqualTo(2);
        assertThat(newest.get("originalOffset").asLong()).isEqualTo(1234L);
        assertThat(newest.get("attempts").asInt()).isEqualTo(1);
        assertThat(newest.get("redriven").asBoolean()).isFalse();
        assertThat(newest.has("payload")).as("listings carry no payload").isFalse();

        // and the DLQ's poison record shows Kafka Streams' headers, no order id, and its re-drive mark
        JsonNode dlq = json(get("/admin/dead-letters?topic=dlq")).get("items");
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).get("ref").asString()).isEqualTo(dlqRef);
        assertThat(dlq.get(0).get("exceptionClass").asString())
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(dlq.get(0).get("originalTopic").asString()).isEqualTo("orders.commands");
        assertThat(dlq.get(0).get("originalPartition").asInt()).isEqualTo(1);
        assertThat(dlq.get(0).get("originalOffset").asLong()).isEqualTo(42L);
        assertThat(dlq.get(0).get("key").asString()).isEqualTo("acc-1");
        assertThat(dlq.get(0).has("orderId")).isFalse();
        assertThat(dlq.get(0).get("redriven").asBoolean()).isTrue();
        assertThat(dlq.get(0).get("redrive").get("principal").asString()).isEqualTo("ops");

        // when one of each is opened, then the placement's payload is decoded and the poison record's is base64
        JsonNode placement = json(get("/admin/dead-letters/" + placeRefs.get(1)));
        assertThat(placement.get("payloadType").asString()).isEqualTo("PlacementAttempt");
        assertThat(placement.get("payload").asString()).contains(orderIds.get(1));
        assertThat(placement.get("headers").get("kafka_dlt-original-offset").asString())
                .isEqualTo("1234");
        JsonNode poisoned = json(get("/admin/dead-letters/" + dlqRef));
        assertThat(poisoned.get("payloadType").asString()).isEqualTo("OrderCommand");
        assertThat(poisoned.has("payload")).isFalse();
        assertThat(poisoned.get("payloadBase64").asString())
                .isEqualTo(Base64.getEncoder().encodeToString(poison));

        // and the summary counts them by reason and by exception class, and records, not offsets (each placement was
        // written in a transaction of its own, whose commit marker takes an offset)
        JsonNode summary = json(get("/admin/dead-letters/summary"));
        assertThat(summary.get("place").get("scanned").asLong()).isEqualTo(3);
        assertThat(summary.get("place").get("total").asLong()).isEqualTo(3);
        assertThat(summary.get("place")
                        .get("byReason")
                        .get("venue rejected: exchange closed")
                        .asLong())
                .isEqualTo(2);
        assertThat(summary.get("place")
                        .get("byReason")
                        .get("venue rejected: unknown symbol")
                        .asLong())
                .isEqualTo(1);
        assertThat(summary.get("dlq")
                        .get("byException")
                        .get("org.apache.kafka.common.errors.SerializationException")
                        .asLong())
                .isEqualTo(1);

        // and unknown or malformed refs and topics are 404 / 400
        assertThat(get("/admin/dead-letters/place-0-999999").statusCode()).isEqualTo(404);
        assertThat(get("/admin/dead-letters/nonsense").statusCode()).isEqualTo(400);
        assertThat(get("/admin/dead-letters?topic=other").statusCode()).isEqualTo(400);
        assertThat(get("/admin/dead-letters?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldRefuseEveryOperatorEndpointToATradersToken() {
        // given a trader's token (orders:read and orders:write, no orders:admin)
        String trader = TestIssuer.trader1();

        // when it calls any operator endpoint, then the answer is 403; without a token 401
        for (String path :
                List.of("/admin/dead-letters", "/admin/dead-letters/summary", "/admin/dead-letters/dlq-0-0")) {
            assertThat(instance.get(path, trader).statusCode()).as(path).isEqualTo(403);
            assertThat(instance.get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(instance.get("/api/venue/state", trader).statusCode()).isEqualTo(403);
        for (String path : List.of(
                "/admin/orders/replay?reason=closed",
                "/api/admin/orders/" + uuid() + "/replay",
                "/api/admin/dead-letters/dlq-0-0/redrive")) {
            assertThat(post(path, trader).statusCode()).as(path).isEqualTo(403);
        }
    }

    /** A failed placement on {@code partition} of the DLT; returns its ref. */
    private static String placement(int partition, String orderId, String message, int attempts) {
        PlacementAttempt attempt = PlacementAttempt.newBuilder()
                .setOrderId(orderId)
                .setAccountId("acc-1")
                .setSymbol("AAPL")
                .setSide(Side.BUY)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(10)
                .setPrice(new BigDecimal("100.000000"))
                .setAttempt(attempts)
                .setDueAt(Instant.now())
                .setLastError(message)
                .setFirstAttemptAt(Instant.now())
                .build();
        long offset = records.sendCommitted(
                PLACE,
                partition,
                bytes(orderId),
                Records.avro(PLACE, attempt),
                List.of(
                        text("kafka_dlt-exception-fqcn", "io.orderpipeline.VenueRejected"),
                        text("kafka_dlt-exception-message", message),
                        text("kafka_dlt-original-topic", "orders.place.retry.2"),
                        new RecordHeader(
                                "kafka_dlt-original-partition",
                                ByteBuffer.allocate(4).putInt(2).array()),
                        new RecordHeader(
                                "kafka_dlt-original-offset",
                                ByteBuffer.allocate(8).putLong(1234L).array()),
                        new RecordHeader(
                                "retry_topic-attempts",
                                ByteBuffer.allocate(4).putInt(attempts).array())));
        // record times must differ for "newest first" to mean something across partitions
        long written = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(1)).until(() -> System.currentTimeMillis() > written + 2);
        return "place-" + partition + "-" + offset;
    }

    private static HttpResponse<String> get(String path) {
        HttpResponse<String> response = instance.get(path);
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String path, String token) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
