package io.orderpipeline.query.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.Records;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /orders/{id}/events} on a real broker with real tokens: the read side files {@code orders.events} into its
 * history store and serves an order's events oldest first, no-op events included, cursor-paged, to whoever may see
 * the order — and 404 to anyone else; a restart with an empty state directory rebuilds it from the topic.
 */
class OrderHistoryTest {

    private static final String STATE = "orders.state.history-" + UUID.randomUUID();
    private static final String EVENTS = "orders.events.history-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Orders orders;
    private static Records records;

    @BeforeAll
    static void start() throws Exception {
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), STATE);
        records = new Records();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(EVENTS, 3, (short) 1)))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stop() {
        orders.close();
        records.close();
    }

    @Test
    void shouldServeEveryEventOfAnOrderOldestFirstPagedAndOnlyToWhoMaySeeIt() throws Exception {
        // given an order of acc-1 and its events: five transitions and two no-ops that keep their version
        String orderId = Orders.routedId("acc-1");
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        List<OrderEvent> events = List.of(
                event(orderId, OrderEventType.ACCEPTED, 1, null, OrderStatus.PENDING, t, null),
                event(
                        orderId,
                        OrderEventType.DUPLICATE_IGNORED,
                        1,
                        OrderStatus.PENDING,
                        OrderStatus.PENDING,
                        t.plusMillis(5),
                        null),
                event(
                        orderId,
                        OrderEventType.RETRY_SCHEDULED,
                        2,
                        OrderStatus.PENDING,
                        OrderStatus.RETRYING,
                        t.plusMillis(10),
                        null),
                event(
                        orderId,
                        OrderEventType.FAILED,
                        3,
                        OrderStatus.RETRYING,
                        OrderStatus.FAILED,
                        t.plusMillis(20),
                        null),
                event(
                        orderId,
                        OrderEventType.REPLAYED,
                        4,
                        OrderStatus.FAILED,
                        OrderStatus.RETRYING,
                        t.plusMillis(30),
                        "ops"),
                event(
                        orderId,
                        OrderEventType.REPLAY_IGNORED,
                        4,
                        OrderStatus.RETRYING,
                        OrderStatus.RETRYING,
                        t.plusMillis(31),
                        "ops"),
                event(
                        orderId,
                        OrderEventType.PLACED,
                        5,
                        OrderStatus.RETRYING,
                        OrderStatus.PLACED,
                        t.plusMillis(40),
                        null));
        // written newest first, the same event twice: the store orders them and keeps each once
        for (int i = events.size() - 1; i >= 0; i--) {
            sendEvent(events.get(i));
        }
        sendEvent(events.get(0));
        OrderState state = Orders.state(orderId, "acc-1", "AAPL", OrderStatus.PLACED, 5, t);
        orders.send(state);

        try (QueryInstance instance = start(Files.createTempDirectory("query-history"))) {
            // when the operator walks its history two events a page
            List<JsonNode> walked = walk(instance, orderId, TestIssuer.ops(), 2);

            // then every event is there once, oldest first, no-op events after the transition they left alone
            assertThat(walked.stream().map(e -> e.get("type").asString()).toList())
                    .containsExactly(
                            "ACCEPTED",
                            "DUPLICATE_IGNORED",
                            "RETRY_SCHEDULED",
                            "FAILED",
                            "REPLAYED",
                            "REPLAY_IGNORED",
                            "PLACED");
            assertThat(walked.stream().map(e -> e.get("version").asLong()).toList())
                    .containsExactly(1L, 1L, 2L, 3L, 4L, 4L, 5L);
            JsonNode replayed = walked.get(4);
            assertThat(replayed.get("previousStatus").asString()).isEqualTo("FAILED");
            assertThat(replayed.get("status").asString()).isEqualTo("RETRYING");
            assertThat(replayed.get("principal").asString()).isEqualTo("ops");
            assertThat(replayed.get("occurredAt").asString())
                    .isEqualTo(t.plusMillis(30).toString());
            assertThat(walked.get(3).get("reasons").get(0).asString()).isEqualTo("venue: exchange closed");

            // and the account's trader sees it too, another account's trader gets 404 as for GET /orders/{id}
            assertThat(walk(instance, orderId, TestIssuer.trader1(), 50)).hasSize(7);
            assertThat(instance.get("/orders/" + orderId + "/events", TestIssuer.trader2())
                            .statusCode())
                    .isEqualTo(404);
            assertThat(instance.get("/orders/" + UUID.randomUUID() + "/events").statusCode())
                    .isEqualTo(404);
            assertThat(instance.get("/orders/" + orderId + "/events?cursor=bogus")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(instance.get("/orders/" + orderId + "/events?limit=0").statusCode())
                    .isEqualTo(400);
        }

        // when a new instance starts with an empty state directory, then it rebuilds the history from the topic
        try (QueryInstance fresh = start(Files.createTempDirectory("query-history-fresh"))) {
            assertThat(walk(fresh, orderId, TestIssuer.ops(), 3)).hasSize(7);
        }
    }

    private static QueryInstance start(java.nio.file.Path stateDir) {
        return QueryInstance.start(
                STATE,
                "query-history-" + UUID.randomUUID(),
                stateDir,
                Map.of("orders.topics.events", EVENTS, "orders.query.standby-replicas", "0"));
    }

    /** Every page of the order's history, waiting until the order and its seven events are readable. */
    private static List<JsonNode> walk(QueryInstance instance, String orderId, String token, int limit) {
        List<JsonNode> all = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    all.clear();
                    String cursor = null;
                    int pages = 0;
                    do {
                        HttpResponse<String> response = instance.get(
                                "/orders/" + orderId + "/events?limit=" + limit
                                        + (cursor == null ? "" : "&cursor=" + cursor),
                                token);
                        assertThat(response.statusCode()).isEqualTo(200);
                        JsonNode page = JSON.readTree(response.body());
                        page.get("items").forEach(all::add);
                        cursor = page.get("nextCursor").isNull()
                                ? null
                                : page.get("nextCursor").asString();
                        assertThat(++pages).isLessThan(20);
                    } while (cursor != null);
                    assertThat(all).hasSize(7);
                });
        return all;
    }

    private static void sendEvent(OrderEvent event) {
        byte[] key = event.getOrderId().getBytes(StandardCharsets.UTF_8);
        int partition = Math.floorMod(event.getOrderId().hashCode(), 3);
        records.send(EVENTS, partition, key, Records.avro(EVENTS, event), List.of());
    }

    private static OrderEvent event(
            String orderId,
            OrderEventType type,
            long version,
            OrderStatus previous,
            OrderStatus status,
            Instant at,
            String principal) {
        return OrderEvent.newBuilder()
                .setOrderId(orderId)
                .setType(type)
                .setVersion(version)
                .setPreviousStatus(previous)
                .setStatus(status)
                .setReasons(type == OrderEventType.FAILED ? List.of("venue: exchange closed") : List.of())
                .setOccurredAt(at)
                .setPrincipal(principal)
                .build();
    }
}
