package io.orderpipeline.query.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.RawStompClient;
import io.orderpipeline.query.support.RawStompClient.Frame;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StompPushTest {

    private static final String TOPIC = "orders.state.stomp-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static QueryInstance instance;
    private static Orders orders;

    @BeforeAll
    static void start() throws Exception {
        instance = QueryInstance.start(
                TOPIC, "query-stomp-" + UUID.randomUUID(), Files.createTempDirectory("query-stomp"), Map.of());
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

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + instance.port() + "/ws");
    }

    @Test
    void shouldDeliverSnapshotThenEveryLaterChangeInVersionOrder() {
        // given an order at version 2, visible in the store
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.now();
        orders.send(Orders.state(orderId, "MSFT", OrderStatus.PENDING, 1, created));
        orders.send(Orders.state(orderId, "MSFT", OrderStatus.RETRYING, 2, created));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + orderId).body().contains("\"version\":2"));

        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.ops())) {
            // when
            client.subscribe("one", "/topic/orders." + orderId);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !client.messages("one").isEmpty());
            orders.send(Orders.state(orderId, "MSFT", OrderStatus.RETRYING, 3, created));
            orders.send(Orders.state(orderId, "MSFT", OrderStatus.PLACED, 4, created));

            // then
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.messages("one").size() >= 3);
            List<Frame> messages = client.messages("one");
            assertThat(messages)
                    .extracting(f -> f.header("message-kind"))
                    .containsExactly("snapshot", "delta", "delta");
            assertThat(messages).extracting(f -> f.header("order-version")).containsExactly("2", "3", "4");
            assertThat(messages).allSatisfy(f -> {
                assertThat(f.header("destination")).isEqualTo("/topic/orders." + orderId);
                assertThat(f.header("content-type")).startsWith("application/json");
            });
            JsonNode last = JSON.readTree(messages.get(2).body());
            assertThat(last.get("status").asString()).isEqualTo("PLACED");
            assertThat(last.get("version").asLong()).isEqualTo(4);
            assertThat(last.get("orderId").asString()).isEqualTo(orderId);
        }
    }

    @Test
    void shouldNeverPushAStateFromAnAbortedProcessorTransaction() {
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.now();
        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.ops())) {
            // given a subscriber on the firehose, already receiving
            client.subscribe("all", "/topic/orders");
            StompPushTestSupport.awaitLive(orders, client, "all");

            // when version 2 is written in an aborted transaction, then version 2 and 3 commit
            orders.send(Orders.state(orderId, "AMZN", OrderStatus.PENDING, 1, created));
            orders.sendAborted(Orders.state(orderId, "AMZN", OrderStatus.FAILED, 2, created));
            orders.send(Orders.state(orderId, "AMZN", OrderStatus.RETRYING, 2, created));
            orders.send(Orders.state(orderId, "AMZN", OrderStatus.PLACED, 3, created));

            // then exactly the committed versions arrive, in order, and never the aborted FAILED
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ofOrder(client.messages("all"), orderId).size() >= 3);
            List<Frame> messages = ofOrder(client.messages("all"), orderId);
            assertThat(messages).extracting(f -> f.header("order-version")).containsExactly("1", "2", "3");
            assertThat(messages)
                    .extracting(f -> JSON.readTree(f.body()).get("status").asString())
                    .containsExactly("PENDING", "RETRYING", "PLACED");
        }
    }

    private static List<Frame> ofOrder(List<Frame> messages, String orderId) {
        return messages.stream()
                .filter(f -> orderId.equals(f.header("order-id")))
                .toList();
    }

    @Test
    void shouldLoseNoChangeWhenSubscribingWhileTheOrderKeepsChanging() {
        // given an order that changes 60 times while subscriptions come and go
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.now();
        int versions = 60;
        List<String> subscriptions = new ArrayList<>();
        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.ops())) {
            // when a new subscription is made every few versions, racing the changes
            for (int version = 1; version <= versions; version++) {
                orders.sendAsync(Orders.state(
                        orderId,
                        "NVDA",
                        version == versions ? OrderStatus.PLACED : OrderStatus.RETRYING,
                        version,
                        created));
                if (version % 6 == 0) {
                    orders.flush();
                    String id = "s" + version;
                    client.subscribe(id, "/topic/orders." + orderId);
                    subscriptions.add(id);
                }
            }
            orders.flush();

            // then every subscription got a snapshot and then every later version, each exactly once, in order
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String id : subscriptions) {
                    List<Frame> messages = client.messages(id);
                    assertThat(messages).as(id).isNotEmpty();
                    assertThat(messages.get(messages.size() - 1).header("order-version"))
                            .as(id)
                            .isEqualTo(Integer.toString(versions));
                }
            });
            for (String id : subscriptions) {
                List<Frame> messages = client.messages(id);
                assertThat(messages.get(0).header("message-kind")).as(id).isEqualTo("snapshot");
                long previous = Long.parseLong(messages.get(0).header("order-version"));
                for (Frame frame : messages.subList(1, messages.size())) {
                    assertThat(frame.header("message-kind")).as(id).isEqualTo("delta");
                    long version = Long.parseLong(frame.header("order-version"));
                    assertThat(version)
                            .as("%s follows %d without a gap", id, previous)
                            .isEqualTo(previous + 1);
                    assertThat(JSON.readTree(frame.body()).get("version").asLong())
                            .isEqualTo(version);
                    previous = version;
                }
            }
        }
    }

    @Test
    void shouldPushEveryChangeOfEveryOrderToTheFirehose() {
        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.ops())) {
            // given
            client.subscribe("all", "/topic/orders");
            StompPushTestSupport.awaitLive(orders, client, "all");
            Set<String> expected = new HashSet<>();

            // when
            for (int i = 0; i < 40; i++) {
                String orderId = "fire-" + UUID.randomUUID();
                Instant created = Instant.now();
                orders.sendAsync(Orders.state(orderId, "AMZN", OrderStatus.PENDING, 1, created));
                orders.sendAsync(Orders.state(orderId, "AMZN", OrderStatus.PLACED, 2, created));
                expected.add(orderId + "@1");
                expected.add(orderId + "@2");
            }
            orders.flush();

            // then
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(received(client, "all")).containsAll(expected));
            Map<String, Long> lastVersion = new HashMap<>();
            for (Frame frame : client.messages("all")) {
                String orderId = frame.header("order-id");
                long version = Long.parseLong(frame.header("order-version"));
                assertThat(version).isGreaterThan(lastVersion.getOrDefault(orderId, 0L));
                lastVersion.put(orderId, version);
            }
        }
    }

    @Test
    void shouldRefuseMessagesSentByClients() {
        try (RawStompClient observer = RawStompClient.connect(ws(), TestIssuer.ops());
                RawStompClient sender = RawStompClient.connect(ws(), TestIssuer.ops())) {
            // given
            observer.subscribe("all", "/topic/orders");
            StompPushTestSupport.awaitLive(orders, observer, "all");

            // when a client tries to publish to an order topic
            sender.sendTo("/topic/orders", "fake order");

            // then it gets an ERROR frame (and Spring closes the connection with 1002), and nobody receives the fake
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sender.frames().stream().anyMatch(f -> "ERROR".equals(f.command()))
                            || sender.closed().getNow(0) == 1002);
            StompPushTestSupport.awaitLive(orders, observer, "all");
            assertThat(observer.messages("all")).noneMatch(f -> f.body().contains("fake order"));
        }
    }

    @Test
    void shouldRefuseAHandshakeFromAForeignBrowserOrigin() {
        // when
        CompletableFuture<WebSocket> handshake = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(ws(), new WebSocket.Listener() {});

        // then
        assertThat(handshake)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .havingRootCause()
                .withMessageContaining("403");
    }

    @Test
    void shouldServeSockJsClientsTheSameSnapshotThenDeltas() throws Exception {
        // given
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.now();
        orders.send(Orders.state(orderId, "GOOGL", OrderStatus.PENDING, 1, created));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);
        WebSocketStompClient stomp = new WebSocketStompClient(
                new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient()))));
        BlockingQueue<StompHeaders> received = new LinkedBlockingQueue<>();

        // when
        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + TestIssuer.ops());
        StompSession session = stomp.connectAsync(
                        "http://127.0.0.1:" + instance.port() + "/ws",
                        new WebSocketHttpHeaders(),
                        connect,
                        new StompSessionHandlerAdapter() {})
                .get(10, TimeUnit.SECONDS);
        try {
            session.subscribe("/topic/orders." + orderId, new StompFrameHandler() {
                @Override
                public Type getPayloadType(StompHeaders headers) {
                    return byte[].class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object payload) {
                    received.add(headers);
                }
            });
            StompHeaders snapshot = received.poll(10, TimeUnit.SECONDS);
            orders.send(Orders.state(orderId, "GOOGL", OrderStatus.PLACED, 2, created));
            StompHeaders delta = received.poll(10, TimeUnit.SECONDS);

            // then
            assertThat(snapshot).isNotNull();
            assertThat(snapshot.getFirst("message-kind")).isEqualTo("snapshot");
            assertThat(snapshot.getFirst("order-version")).isEqualTo("1");
            assertThat(delta).isNotNull();
            assertThat(delta.getFirst("message-kind")).isEqualTo("delta");
            assertThat(delta.getFirst("order-version")).isEqualTo("2");
        } finally {
            session.disconnect();
            stomp.stop();
        }
    }

    private static Set<String> received(RawStompClient client, String subscription) {
        Set<String> seen = new HashSet<>();
        for (Frame frame : client.messages(subscription)) {
            seen.add(frame.header("order-id") + "@" + frame.header("order-version"));
        }
        return seen;
    }
}
