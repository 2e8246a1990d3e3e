package io.orderpipeline.query.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.infra.KafkaBrokerProcess;
import io.orderpipeline.infra.Ports;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.RawStompClient;
import io.orderpipeline.query.support.RawStompClient.Frame;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The broker goes away for longer than every client timeout of the service, then comes back on the same port and data
 * directory (a real broker in a child JVM): pushes resume, a long-poll made during the outage answers, and new orders
 * become queryable, without a restart of the service.
 */
class BrokerOutageRecoveryTest {

    private static final String TOPIC = "orders.state.outage";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(6);
    /** Longer than any client timeout of the service, as configured below. */
    private static final Duration OUTAGE = API_TIMEOUT.plusSeconds(6);

    private static Path brokerDir;
    private static Path brokerLog;
    private static int brokerPort;
    private static KafkaBrokerProcess broker;
    private static QueryInstance instance;

    @BeforeAll
    static void start() throws Exception {
        brokerDir = Files.createTempDirectory("query-outage-broker");
        brokerLog = Path.of("target", "broker-outage.log");
        brokerPort = Ports.free();
        broker = KafkaBrokerProcess.start(brokerPort, brokerDir, brokerLog);
        instance = QueryInstance.start(
                TOPIC,
                "query-outage-" + UUID.randomUUID(),
                Files.createTempDirectory("query-outage"),
                Map.of(
                        "spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                        "spring.kafka.properties.request.timeout.ms", Long.toString(REQUEST_TIMEOUT.toMillis()),
                        "spring.kafka.properties.default.api.timeout.ms", Long.toString(API_TIMEOUT.toMillis()),
                        "orders.recovery.max-backoff", "1s"));
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldPushAnswerLongPollsAndServeNewOrdersAgainOnceTheBrokerIsBack() {
        // given an order at version 1, served and pushed, and a firehose subscriber that receives
        String orderId = "outage-" + UUID.randomUUID();
        Instant created = Instant.now();
        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.ops())) {
            client.subscribe("all", "/topic/orders");
            try (Orders orders = new Orders(broker.bootstrapServers(), TestStack.registryUrl(), TOPIC)) {
                orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> versionsOf(client, orderId).contains("1"));
            }
            client.subscribe("one", "/topic/orders." + orderId);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !client.messages("one").isEmpty());

            // when the broker is down for longer than the client timeouts, with a long-poll waiting meanwhile
            broker.close();
            CompletableFuture<HttpResponse<String>> longPoll = CompletableFuture.supplyAsync(
                    () -> instance.get("/orders/" + orderId + "?waitForVersion=2&timeout=120s"));
            await().during(OUTAGE)
                    .atMost(OUTAGE.plusSeconds(30))
                    .until(() -> !broker.process().isAlive() && !longPoll.isDone());
            broker = KafkaBrokerProcess.start(brokerPort, brokerDir, brokerLog);

            // then, the service never restarted: the long-poll answers, pushes resume, and new orders are served
            String later = "after-" + UUID.randomUUID();
            try (Orders orders = new Orders(broker.bootstrapServers(), TestStack.registryUrl(), TOPIC)) {
                orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 2, created));
                orders.send(Orders.state(later, "MSFT", OrderStatus.PENDING, 1, Instant.now()));
            }
            HttpResponse<String> answered = longPoll.join();
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answered.body()).get("version").asLong()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(versionsOf(client, orderId)).containsExactly("1", "2"));
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(client.messages("one"))
                            .extracting(f -> f.header("order-version"))
                            .containsExactly("1", "2"));
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> instance.get("/orders/" + later).statusCode() == 200);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode health = JSON.readTree(instance.get("/actuator/health").body());
                assertThat(health.at("/components/kafkaStreams/status").asString())
                        .isEqualTo("UP");
                assertThat(health.at("/components/orderFeed/status").asString()).isEqualTo("UP");
            });
            assertThat(instance.isRunning()).isTrue();
        }
    }

    private static List<String> versionsOf(RawStompClient client, String orderId) {
        return client.messages("all").stream()
                .filter(f -> orderId.equals(f.header("order-id")))
                .map((Frame f) -> f.header("order-version"))
                .toList();
    }

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + instance.port() + "/ws");
    }
}
