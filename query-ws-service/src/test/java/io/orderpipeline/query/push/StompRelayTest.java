package io.orderpipeline.query.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.FakeStompBroker;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.RawStompClient;
import io.orderpipeline.query.support.RawStompClient.Frame;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code orders.stomp.relay.enabled=true} the firehose goes through an external STOMP broker (here a fake one on
 * loopback): the instance publishes each change once and the broker delivers it; per-order subscriptions are still
 * served by the instance (snapshot, then deltas).
 */
class StompRelayTest {

    private static final String TOPIC = "orders.state.relay-" + UUID.randomUUID();

    private static FakeStompBroker broker;
    private static QueryInstance instance;
    private static Orders orders;

    @BeforeAll
    static void start() throws Exception {
        broker = new FakeStompBroker();
        instance = QueryInstance.start(
                TOPIC,
                "query-relay-" + UUID.randomUUID(),
                Files.createTempDirectory("query-relay"),
                Map.of(
                        "orders.stomp.relay.enabled", "true",
                        "orders.stomp.relay.host", "127.0.0.1",
                        "orders.stomp.relay.port", Integer.toString(broker.port())));
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
    void shouldPublishTheFirehoseThroughTheExternalBrokerAndKeepPerOrderSnapshotsLocal() {
        // given a client connected through the relay (its CONNECT is answered by the external broker)
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.connections() >= 1); // the relay's system session
        try (RawStompClient client =
                RawStompClient.connect(URI.create("ws://127.0.0.1:" + instance.port() + "/ws"), TestIssuer.ops())) {
            client.subscribe("all", "/topic/orders");
            String orderId = "relay-" + UUID.randomUUID();
            Instant created = Instant.now();

            // when an order changes (repeated until the group consumer of the relay publisher is assigned)
            long[] version = {0};
            try {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, ++version[0], created));
                            return client.messages("all").stream().anyMatch(f -> orderId.equals(f.header("order-id")));
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "broker got " + broker.sent().size() + " SENDs; subscriptions " + broker.subscriptions()
                                + "; client frames " + client.frames(),
                        e);
            }
            client.subscribe("one", "/topic/orders." + orderId);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !client.messages("one").isEmpty());
            orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, version[0] + 1, created));

            // then the firehose came from the external broker, and the per-order subscription got snapshot + delta
            assertThat(broker.sent()).contains("/topic/orders");
            // and so was the order's account destination
            assertThat(broker.sent()).contains("/topic/accounts.acc-1");
            assertThat(client.messages("all"))
                    .allSatisfy(f -> assertThat(f.header("content-type")).startsWith("application/json"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.messages("one").size() >= 2);
            List<Frame> one = client.messages("one");
            assertThat(one.get(0).header("message-kind")).isEqualTo("snapshot");
            assertThat(one.get(1).header("message-kind")).isEqualTo("delta");
            assertThat(Long.parseLong(one.get(1).header("order-version")))
                    .isEqualTo(Long.parseLong(one.get(0).header("order-version")) + 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.messages("all").stream()
                            .anyMatch(f -> orderId.equals(f.header("order-id"))
                                    && f.body().contains("PLACED")));
        }
    }
}
