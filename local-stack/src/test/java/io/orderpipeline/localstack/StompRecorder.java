package io.orderpipeline.localstack;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A STOMP subscriber over a plain WebSocket (Spring's {@link WebSocketStompClient}, a client independent of the
 * server's code) that records every message body of one destination as JSON, in arrival order, and every ERROR frame
 * the server sends (a refused SUBSCRIBE). Its CONNECT frame carries {@code Authorization: Bearer <token>}, as a
 * client of the secured query-ws-service must send.
 *
 * <p>Spring's simple broker sends no RECEIPT for a SUBSCRIBE, so a caller that must not miss a message first waits
 * until something published after the subscription has arrived.
 */
final class StompRecorder implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebSocketStompClient client;
    private final StompSession session;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors;
    private final List<String> errorFrames;

    private StompRecorder(
            WebSocketStompClient client, StompSession session, List<Throwable> errors, List<String> errorFrames) {
        this.client = client;
        this.session = session;
        this.errors = errors;
        this.errorFrames = errorFrames;
    }

    /**
     * Connects with {@code bearer} ({@code "Bearer <token>"}, or null for a CONNECT without one) and subscribes.
     *
     * @throws java.util.concurrent.ExecutionException if the server refuses the connection (an ERROR frame or a
     *     refused handshake instead of CONNECTED)
     */
    static StompRecorder subscribe(String webSocketUrl, String destination, Duration timeout, String bearer)
            throws Exception {
        WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> errorFrames = new CopyOnWriteArrayList<>();
        StompHeaders connect = new StompHeaders();
        if (bearer != null) {
            connect.add("Authorization", bearer);
        }
        StompSession session;
        try {
            session = client.connectAsync(
                            webSocketUrl, new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
                                @Override
                                public Type getPayloadType(StompHeaders headers) {
                                    return byte[].class;
                                }

                                /** Only ERROR frames reach the session handler. */
                                @Override
                                public void handleFrame(StompHeaders headers, Object payload) {
                                    errorFrames.add(String.valueOf(headers.getFirst("message")));
                                }

                                @Override
                                public void handleException(
                                        StompSession session,
                                        StompCommand command,
                                        StompHeaders headers,
                                        byte[] payload,
                                        Throwable exception) {
                                    errors.add(exception);
                                }

                                @Override
                                public void handleTransportError(StompSession session, Throwable exception) {
                                    errors.add(exception);
                                }
                            })
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception refused) {
            client.stop();
            throw refused;
        }
        StompRecorder recorder = new StompRecorder(client, session, errors, errorFrames);
        session.subscribe(destination, recorder.new Recording());
        return recorder;
    }

    /** Every message body received so far, in arrival order. */
    List<JsonNode> messages() {
        return List.copyOf(messages);
    }

    /** Messages whose {@code orderId} is {@code orderId}, in arrival order. */
    List<JsonNode> messagesFor(String orderId) {
        return messages.stream()
                .filter(message -> orderId.equals(message.path("orderId").asString(null)))
                .toList();
    }

    /** Bodies that were not JSON, and transport or protocol errors; a healthy subscription has none. */
    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** The {@code message} header of every ERROR frame received, in arrival order. */
    List<String> errorFrames() {
        return List.copyOf(errorFrames);
    }

    /** Whether the session is still open (the server closes it after an ERROR frame). */
    boolean connected() {
        return session.isConnected();
    }

    @Override
    public void close() {
        if (session.isConnected()) {
            session.disconnect();
        }
        client.stop();
    }

    private final class Recording implements StompFrameHandler {

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return byte[].class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            try {
                messages.add(JSON.readTree((byte[]) payload));
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
    }
}
