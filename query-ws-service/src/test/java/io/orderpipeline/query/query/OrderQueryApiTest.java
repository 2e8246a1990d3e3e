package io.orderpipeline.query.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.query.view.OrderViewStreams;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderQueryApiTest {

    private static final String TOPIC = "orders.state.api-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static QueryInstance instance;
    private static Orders orders;

    @BeforeAll
    static void start() throws Exception {
        Path stateDir = Files.createTempDirectory("query-api");
        instance = QueryInstance.start(
                TOPIC,
                "query-api-" + UUID.randomUUID(),
                stateDir,
                Map.of("orders.query.long-poll.max-waiters-per-order", "3", "orders.push.outbound-threads", "3"));
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
    }

    @AfterAll
    static void stop() {
        if (orders != null) {
            orders.close();
        }
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void shouldServeTheLatestStateOfAnOrderById() {
        // given
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.parse("2026-01-02T03:04:05.678Z");

        // when
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 2, created));

        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> response = instance.get("/orders/" + orderId);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("status").asString()).isEqualTo("PLACED");
            assertThat(body.get("version").asLong()).isEqualTo(2);
        });
        JsonNode body = JSON.readTree(instance.get("/orders/" + orderId).body());
        assertThat(body.get("orderId").asString()).isEqualTo(orderId);
        assertThat(body.get("price").asString()).isEqualTo("187.25");
        assertThat(body.get("createdAt").asString()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(body.get("symbol").asString()).isEqualTo("AAPL");
        assertThat(body.get("side").asString()).isEqualTo("BUY");
        assertThat(body.get("reasons").isArray()).isTrue();
    }

    @Test
    void shouldNeverServeAStateFromAnAbortedProcessorTransaction() {
        // given an order at version 1, and a version 3 the processor wrote but then aborted
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.now();
        orders.send(Orders.state(orderId, "NVDA", OrderStatus.PENDING, 1, created));
        orders.sendAborted(Orders.state(orderId, "NVDA", OrderStatus.FAILED, 3, created));

        // when the retried transaction commits version 2 behind it in the log
        orders.send(Orders.state(orderId, "NVDA", OrderStatus.PLACED, 2, created));

        // then version 2 is served: had the aborted version 3 been read, version 2 would be ignored as stale
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode body = JSON.readTree(instance.get("/orders/" + orderId).body());
            assertThat(body.get("version").asLong()).isEqualTo(2);
            assertThat(body.get("status").asString()).isEqualTo("PLACED");
        });
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownOrder() {
        // given the store is up
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + UUID.randomUUID()).statusCode() == 404);

        // when
        HttpResponse<String> response = instance.get("/orders/does-not-exist");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void shouldCompleteALongPollAsSoonAsTheOrderReachesTheVersion() {
        // given an order at version 1 and a request waiting for version 2
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.now();
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(
                () -> instance.get("/orders/" + orderId + "?waitForVersion=2&timeout=30s"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters().size() == 1);
        assertThat(waiting).isNotDone();

        // when
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 2, created));

        // then
        HttpResponse<String> response = waiting.join();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("version").asLong()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters().size() == 0);
    }

    @Test
    void shouldAnswerALongPollAtOnceWhenTheOrderIsAlreadyThere() {
        // given
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.now();
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 2, created));

        // when
        HttpResponse<String> response = instance.get("/orders/" + orderId + "?waitForStatus=PLACED&timeout=30s");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asString()).isEqualTo("PLACED");
    }

    @Test
    void shouldAnswer504WhenTheWaitTimesOutAndForgetTheWaiter() {
        // given
        String orderId = UUID.randomUUID().toString();
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, Instant.now()));

        // when
        HttpResponse<String> response = instance.get("/orders/" + orderId + "?waitForStatus=PLACED&timeout=300ms");

        // then
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters().size() == 0);
    }

    @Test
    void shouldRefuseWaitersBeyondThePerOrderLimitWith503() {
        // given three requests already waiting for the same order (the configured limit)
        String orderId = "never-" + UUID.randomUUID();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(CompletableFuture.supplyAsync(
                    () -> instance.get("/orders/" + orderId + "?waitForVersion=1&timeout=3s")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters().size() == 3);

        // when
        HttpResponse<String> refused = instance.get("/orders/" + orderId + "?waitForVersion=1&timeout=3s");

        // then
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(waiting).allSatisfy(w -> assertThat(w.join().statusCode()).isEqualTo(504));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters().size() == 0);
    }

    @Test
    void shouldRejectAnInvalidTimeout() {
        HttpResponse<String> response = instance.get("/orders/x?waitForVersion=1&timeout=forever");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("errors").has("timeout")).isTrue();
    }

    @Test
    void shouldExposeHealthMetricsAndTheOpenApiDocument() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode health = JSON.readTree(instance.get("/actuator/health").body());
            assertThat(health.at("/components/kafkaStreams/status").asString()).isEqualTo("UP");
            assertThat(health.at("/components/kafkaStreams/details/state").asString())
                    .isEqualTo("RUNNING");
            assertThat(health.at("/components/orderFeed/status").asString()).isEqualTo("UP");
        });
        HttpResponse<String> prometheus = instance.get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("kafka_stream_").contains("orders_push_sessions");
        JsonNode api = JSON.readTree(instance.get("/v3/api-docs").body());
        assertThat(api.at("/paths").has("/orders")).isTrue();
        assertThat(api.at("/paths").has("/orders/{orderId}")).isTrue();
        assertThat(api.at("/paths").has("/internal/orders")).isFalse();
        // STOMP writes run on the service's own pool, not on an executor shared with anything else
        var outbound = instance.bean("clientOutboundChannel", ExecutorSubscribableChannel.class);
        assertThat(outbound.getExecutor())
                .isInstanceOfSatisfying(
                        ThreadPoolTaskExecutor.class,
                        pool -> assertThat(pool.getCorePoolSize()).isEqualTo(3));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldAnswer503WithRetryAfterQuicklyWhenNoCopyOfTheStoreIsAvailable() {
        // given the read side's Streams application is down
        OrderViewStreams streams = instance.bean(OrderViewStreams.class);
        streams.stop();
        try {
            // when (the operator's token fetched beforehand: only the two requests are timed)
            String token = TestIssuer.ops();
            long started = System.nanoTime();
            HttpResponse<String> byId = instance.get("/orders/" + UUID.randomUUID(), token);
            HttpResponse<String> list = instance.get("/orders?limit=5", token);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            // then
            assertThat(byId.statusCode()).isEqualTo(503);
            assertThat(byId.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(list.statusCode()).isEqualTo(503);
            assertThat(took).isLessThan(Duration.ofSeconds(2));
        } finally {
            streams.start();
        }
    }

    private static OrderWaiters waiters() {
        return instance.bean(OrderWaiters.class);
    }
}
