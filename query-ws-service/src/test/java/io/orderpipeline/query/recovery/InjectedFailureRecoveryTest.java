package io.orderpipeline.query.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.kafka.StateConsumers;
import io.orderpipeline.query.support.FakeStompBroker;
import io.orderpipeline.query.support.Faults;
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
 * Every long-lived loop of the read side recovers by itself from an unexpected failure, injected into its real
 * consumer ({@link Faults}): the change feed and the push relay replace their consumers and continue where they were,
 * the Streams application replaces a dead thread, and a Streams client in ERROR is replaced by a new client. Health
 * is DOWN meanwhile and UP again after; the service is never restarted.
 */
class InjectedFailureRecoveryTest {

    private static final String TOPIC = "orders.state.faults-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Faults FAULTS = new Faults();

    private static FakeStompBroker broker;
    private static QueryInstance instance;
    private static Orders orders;

    @BeforeAll
    static void start() throws Exception {
        broker = new FakeStompBroker();
        instance = QueryInstance.start(
                TOPIC,
                "query-faults-" + UUID.randomUUID(),
                Files.createTempDirectory("query-faults"),
                Map.of(
                        "orders.stomp.relay.enabled", "true",
                        "orders.stomp.relay.host", "127.0.0.1",
                        "orders.stomp.relay.port", Integer.toString(broker.port()),
                        "orders.recovery.first-backoff", "100ms",
                        "orders.recovery.max-backoff", "1s"),
                FAULTS.initializer());
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
    }

    @AfterAll
    static void stop() throws Exception {
        if (orders != null) {
            orders.close();
        }
        if (instance != null) {
            instance.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldReplaceTheFeedsConsumerAfterAnUnexpectedFailureAndLoseNoState() {
        // given an order at version 1 and a subscriber that received it as its snapshot
        String orderId = "feed-" + UUID.randomUUID();
        Instant created = Instant.now();
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);
        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.ops())) {
            client.subscribe("one", "/topic/orders." + orderId);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !client.messages("one").isEmpty());

            // when the feed's consumer fails, and version 2 is written before the feed has a new consumer
            FAULTS.holdNewConsumers(StateConsumers.FEED);
            FAULTS.failNextPoll(StateConsumers.FEED, new IllegalStateException("injected feed failure"));
            await().atMost(Duration.ofSeconds(30)).until(() -> isDownWith("orderFeed", "injected feed failure"));
            CompletableFuture<HttpResponse<String>> longPoll = CompletableFuture.supplyAsync(
                    () -> instance.get("/orders/" + orderId + "?waitForVersion=3&timeout=60s"));
            orders.send(Orders.state(orderId, "AAPL", OrderStatus.RETRYING, 2, created));
            FAULTS.release(StateConsumers.FEED);

            // then the feed is UP again, and the state written meanwhile and the next one are pushed, each once
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            "UP".equals(component("orderFeed").at("/status").asString()));
            assertThat(component("orderFeed").at("/details/recoveries").asLong())
                    .isPositive();
            orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 3, created));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.messages("one").stream().anyMatch(f -> "3".equals(f.header("order-version"))));
            List<Frame> messages = client.messages("one");
            assertThat(messages).extracting(f -> f.header("order-version")).containsExactly("1", "2", "3");
            assertThat(messages)
                    .extracting(f -> f.header("message-kind"))
                    .containsExactly("snapshot", "delta", "delta");
            HttpResponse<String> answered = longPoll.join();
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answered.body()).get("version").asLong()).isEqualTo(3);
            assertThat(FAULTS.created(StateConsumers.FEED)).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shouldRejoinTheRelayGroupAfterAnUnexpectedFailureAndPublishWhatWasWrittenMeanwhile() {
        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.ops())) {
            // given a firehose subscriber that receives through the external broker
            client.subscribe("all", "/topic/orders");
            awaitRelayed(client);

            // when the relay's consumer fails, and an order is written before the relay has a new consumer
            FAULTS.holdNewConsumers(StateConsumers.RELAY);
            FAULTS.failNextPoll(StateConsumers.RELAY, new IllegalStateException("injected relay failure"));
            await().atMost(Duration.ofSeconds(30)).until(() -> isDownWith("pushRelay", "injected relay failure"));
            String orderId = "relay-" + UUID.randomUUID();
            Instant created = Instant.now();
            orders.send(Orders.state(orderId, "MSFT", OrderStatus.PENDING, 1, created));
            FAULTS.release(StateConsumers.RELAY);

            // then the relay is UP again and publishes, from the committed offsets, what was written meanwhile
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            "UP".equals(component("pushRelay").at("/status").asString()));
            orders.send(Orders.state(orderId, "MSFT", OrderStatus.PLACED, 2, created));
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(ofOrder(client.messages("all"), orderId))
                            .extracting(f -> f.header("order-version"))
                            .contains("1", "2"));
            assertThat(component("pushRelay").at("/details/recoveries").asLong())
                    .isPositive();
        }
    }

    @Test
    void shouldReplaceAStreamThreadThatDiedAndKeepServingQueries() {
        // given the Streams application runs
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "RUNNING"
                        .equals(component("kafkaStreams").at("/details/state").asString()));
        long replacedBefore =
                component("kafkaStreams").at("/details/replacedThreads").asLong();

        // when its stream thread's consumer fails unexpectedly
        FAULTS.failNextPoll(Faults.STREAMS, new IllegalStateException("injected stream thread failure"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !FAULTS.armed(Faults.STREAMS));

        // then the thread is replaced and a new order becomes queryable
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        component("kafkaStreams").at("/details/replacedThreads").asLong() > replacedBefore);
        String orderId = "thread-" + UUID.randomUUID();
        orders.send(Orders.state(orderId, "NVDA", OrderStatus.PENDING, 1, Instant.now()));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);
        assertThat(component("kafkaStreams").at("/status").asString()).isEqualTo("UP");
    }

    @Test
    void shouldReplaceAStreamsClientThatReachedErrorWithANewClient() {
        // given the Streams application runs
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "RUNNING"
                        .equals(component("kafkaStreams").at("/details/state").asString()));
        long replacedBefore =
                component("kafkaStreams").at("/details/replacedClients").asLong();

        // when a stream thread dies of an Error, and an order is written before a new client exists
        FAULTS.holdNewConsumers(Faults.STREAMS);
        FAULTS.failNextPoll(Faults.STREAMS, new Faults.InjectedError("injected Error"));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        "DOWN".equals(component("kafkaStreams").at("/status").asString()));
        assertThat(instance.get("/orders/" + UUID.randomUUID()).statusCode()).isEqualTo(503);
        String orderId = "client-" + UUID.randomUUID();
        orders.send(Orders.state(orderId, "AMZN", OrderStatus.PENDING, 1, Instant.now()));
        FAULTS.release(Faults.STREAMS);

        // then a new client runs and serves what was written meanwhile
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        component("kafkaStreams").at("/details/replacedClients").asLong() > replacedBefore);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);
        assertThat(component("kafkaStreams").at("/status").asString()).isEqualTo("UP");
        assertThat(instance.isRunning()).isTrue();
    }

    /** Writes a marker order's versions until the subscriber receives one through the relay. */
    private static void awaitRelayed(RawStompClient client) {
        String marker = "marker-" + UUID.randomUUID();
        Instant created = Instant.now();
        long[] version = {0};
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    orders.send(Orders.state(marker, "AAPL", OrderStatus.PENDING, ++version[0], created));
                    return !ofOrder(client.messages("all"), marker).isEmpty();
                });
    }

    private static List<Frame> ofOrder(List<Frame> messages, String orderId) {
        return messages.stream()
                .filter(f -> orderId.equals(f.header("order-id")))
                .toList();
    }

    private static boolean isDownWith(String name, String reason) {
        JsonNode health = component(name);
        return "DOWN".equals(health.at("/status").asString())
                && health.at("/details/reason").asString().contains(reason);
    }

    private static JsonNode component(String name) {
        return JSON.readTree(instance.get("/actuator/health").body()).at("/components/" + name);
    }

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + instance.port() + "/ws");
    }
}
