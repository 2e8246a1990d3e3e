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
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.socket.messaging.StompSubProtocolHandler;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * A state pushed to many subscribers is encoded once per destination, not once per subscriber: real STOMP clients
 * on {@code /topic/orders} and {@code /topic/orders.{id}} receive one shared frame each.
 */
class SharedEncodingTest {

    private static final int CLIENTS = 6;

    @Test
    void shouldEncodeAStateOncePerDestinationForAllItsSubscribers() throws Exception {
        String topic = "orders.state.shared-" + UUID.randomUUID();
        List<RawStompClient> clients = new ArrayList<>();
        try (QueryInstance instance = QueryInstance.start(
                        topic,
                        "query-shared-" + UUID.randomUUID(),
                        Files.createTempDirectory("query-shared"),
                        Map.of());
                Orders orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), topic)) {
            // given six sessions, each subscribed to the firehose and to one order, and every one at version 1
            URI ws = URI.create("ws://127.0.0.1:" + instance.port() + "/ws");
            String orderId = UUID.randomUUID().toString();
            for (int i = 0; i < CLIENTS; i++) {
                RawStompClient client = RawStompClient.connect(ws, TestIssuer.ops());
                clients.add(client);
                client.subscribe("sub-0", "/topic/orders");
                client.subscribe("sub-" + (i + 1), "/topic/orders." + orderId);
                StompPushTestSupport.awaitLive(orders, client, "sub-0");
            }
            Instant created = Instant.now();
            orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
            awaitVersionEverywhere(clients, orderId, "1");
            OrderPushHub hub = instance.bean(OrderPushHub.class);
            long bodies = hub.encodedBodies();
            long frames = hub.encodedFrames();

            // when the order changes
            orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 2, created));

            // then all twelve subscriptions receive it
            awaitVersionEverywhere(clients, orderId, "2");
            // from one JSON body and two frames (one per destination), whatever the number of subscribers
            assertThat(hub.encodedBodies() - bodies).isEqualTo(1);
            assertThat(hub.encodedFrames() - frames).isEqualTo(2);
            // and every subscriber of a destination got the same message, its own subscription id in it
            List<Frame> firehose = new ArrayList<>();
            List<Frame> single = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                firehose.add(last(clients.get(i).messages("sub-0"), orderId));
                Frame one = last(clients.get(i).messages("sub-" + (i + 1)), orderId);
                assertThat(one.header("subscription")).isEqualTo("sub-" + (i + 1));
                single.add(one);
            }
            assertThat(firehose)
                    .extracting(Frame::body)
                    .containsOnly(firehose.get(0).body());
            assertThat(firehose)
                    .extracting(f -> f.header("message-id"))
                    .containsOnly(firehose.get(0).header("message-id"));
            assertThat(single)
                    .extracting(f -> f.header("message-id"))
                    .containsOnly(single.get(0).header("message-id"));
            assertThat(single).extracting(f -> f.header("message-kind")).containsOnly("delta");
            assertThat(single.get(0).body()).isEqualTo(firehose.get(0).body());
            assertThat(firehose.get(0).header("destination")).isEqualTo("/topic/orders");
            assertThat(single.get(0).header("destination")).isEqualTo("/topic/orders." + orderId);
            assertThat(single.get(0).header("content-type")).startsWith("application/json");
            // written by the encoder that sends the shared frame as it is
            assertThat(instance.bean(SubProtocolWebSocketHandler.class).getProtocolHandlers())
                    .filteredOn(StompSubProtocolHandler.class::isInstance)
                    .singleElement()
                    .extracting(handler -> ReflectionTestUtils.getField(handler, "stompEncoder"))
                    .isInstanceOf(SharedFrameStompEncoder.class);
        } finally {
            clients.forEach(RawStompClient::close);
        }
    }

    private static void awaitVersionEverywhere(List<RawStompClient> clients, String orderId, String version) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 0; i < clients.size(); i++) {
                RawStompClient client = clients.get(i);
                for (String subscription : List.of("sub-0", "sub-" + (i + 1))) {
                    Frame latest = last(client.messages(subscription), orderId);
                    assertThat(latest).as(i + " " + subscription).isNotNull();
                    assertThat(latest.header("order-version")).isEqualTo(version);
                }
            }
        });
    }

    private static Frame last(List<Frame> messages, String orderId) {
        Frame last = null;
        for (Frame frame : messages) {
            if (orderId.equals(frame.header("order-id"))) {
                last = frame;
            }
        }
        return last;
    }
}
