package io.orderpipeline.query.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.RawStompClient;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading must neither slow the pipeline nor other subscribers: it is disconnected once its
 * outbox overflows, while a healthy subscriber on the same instance receives every change.
 */
class SlowSubscriberTest {

    private static final String TOPIC = "orders.state.slow-" + UUID.randomUUID();
    private static final int BATCH = 500;
    private static final int MAX_BATCHES = 30;

    private static QueryInstance instance;
    private static Orders orders;

    @BeforeAll
    static void start() throws Exception {
        instance = QueryInstance.start(
                TOPIC,
                "query-slow-" + UUID.randomUUID(),
                Files.createTempDirectory("query-slow"),
                Map.of(
                        "orders.push.max-queued-per-session", "5000",
                        "orders.push.coalesce-after", "1000",
                        "orders.push.send-time-limit", "2s"));
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
    void shouldDisconnectASubscriberThatStopsReadingWithoutHoldingUpOthers() throws Exception {
        // given a healthy subscriber and one that stops reading right after subscribing
        try (RawStompClient healthy = RawStompClient.connect(
                        URI.create("ws://127.0.0.1:" + instance.port() + "/ws"), TestIssuer.ops());
                StalledClient stalled = StalledClient.subscribe(instance.port(), "/topic/orders")) {
            healthy.subscribe("all", "/topic/orders");
            StompPushTestSupport.awaitLive(orders, healthy, "all");
            double disconnectsBefore = disconnects();

            // when large changes keep coming until the stalled session is cut off
            Set<String> expected = new HashSet<>();
            String padding = "x".repeat(2048);
            int batches = 0;
            while (disconnects() == disconnectsBefore && batches++ < MAX_BATCHES) {
                for (int i = 0; i < BATCH; i++) {
                    String orderId = "slow-" + UUID.randomUUID();
                    OrderState state = Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, Instant.now());
                    state.setClientOrderId(padding);
                    orders.sendAsync(state);
                    expected.add(orderId);
                }
                orders.flush();
                int sent = expected.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> received(healthy) >= sent);
            }

            // then the stalled session was disconnected, and the healthy one got every change
            assertThat(disconnects())
                    .as(
                            "slow-consumer disconnects; waiting by session: %s",
                            instance.bean(OrderPushHub.class).waitingBySession())
                    .isGreaterThan(disconnectsBefore);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(orderIds(healthy)).containsAll(expected));
            assertThat(healthy.closed()).as("the healthy session stays open").isNotDone();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> instance.bean(OrderPushHub.class).sessions() == 1);
            assertThat(instance.get("/actuator/health").statusCode()).isEqualTo(200);
        }
    }

    private static double disconnects() {
        return instance.bean(MeterRegistry.class)
                .counter("orders.push.slow.disconnects")
                .count();
    }

    private static long received(RawStompClient client) {
        return client.messages("all").stream()
                .filter(f -> f.header("order-id").startsWith("slow-"))
                .count();
    }

    private static Set<String> orderIds(RawStompClient client) {
        Set<String> ids = new HashSet<>();
        client.messages("all").forEach(f -> ids.add(f.header("order-id")));
        return ids;
    }

    /**
     * A WebSocket client on a plain socket with a tiny receive buffer that reads the handshake and CONNECTED, sends
     * SUBSCRIBE, and then never reads again: the server's writes to it block once the socket buffers are full.
     */
    static final class StalledClient implements AutoCloseable {

        private final Socket socket;

        private StalledClient(Socket socket) {
            this.socket = socket;
        }

        static StalledClient subscribe(int port, String destination) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            String handshake = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce)
                    + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n";
            out.write(handshake.getBytes(StandardCharsets.US_ASCII));
            String response = readUntil(in, "\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + response);
            }
            sendText(
                    out,
                    "CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\nAuthorization:Bearer "
                            + TestIssuer.ops()
                            + "\n\n\0");
            String connected = readUntil(in, "\0");
            if (!connected.contains("CONNECTED")) {
                throw new IOException("no CONNECTED: " + connected);
            }
            sendText(out, "SUBSCRIBE\nid:stalled\ndestination:" + destination + "\n\n\0");
            return new StalledClient(socket);
        }

        private static String readUntil(InputStream in, String end) throws IOException {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed after " + seen);
                }
                seen.write(b);
            }
            return seen.toString(StandardCharsets.ISO_8859_1);
        }

        private static void sendText(OutputStream out, String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            byte[] mask = new byte[4];
            new SecureRandom().nextBytes(mask);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81); // FIN + text
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xff);
            }
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
