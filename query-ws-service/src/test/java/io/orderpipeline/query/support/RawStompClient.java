package io.orderpipeline.query.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A minimal STOMP 1.2 client written directly on {@link java.net.http.WebSocket}: frames are built and parsed here,
 * with none of Spring's or the project's STOMP code involved, so tests see exactly what goes over the wire.
 */
public final class RawStompClient implements AutoCloseable {

    /** One STOMP frame as received. */
    public record Frame(String command, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Frame> connected = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private RawStompClient() {}

    /** Opens {@code ws://…/ws}, sends CONNECT with {@code Authorization: Bearer <token>} and waits for CONNECTED. */
    public static RawStompClient connect(URI uri, String token) {
        RawStompClient client = attempt(uri, token);
        try {
            client.connected.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no CONNECTED frame", e);
        }
        return client;
    }

    /**
     * Opens {@code ws://…/ws} and sends CONNECT with {@code token} ({@code null}: no Authorization header), without
     * waiting for the answer: see {@link #connected()}, {@link #frames()}, {@link #closed()}.
     */
    public static RawStompClient attempt(URI uri, String token) {
        RawStompClient client = new RawStompClient();
        client.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .subprotocols("v12.stomp")
                .buildAsync(uri, client.new Listener())
                .join();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept-version", "1.2");
        headers.put("host", uri.getHost());
        headers.put("heart-beat", "0,0");
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        client.send("CONNECT", headers, "");
        return client;
    }

    /** Completes with CONNECTED, or exceptionally when the server answered ERROR or the connection failed. */
    public CompletableFuture<Frame> connected() {
        return connected;
    }

    /** ERROR frames received so far. */
    public List<Frame> errors() {
        return frames.stream().filter(f -> "ERROR".equals(f.command())).toList();
    }

    public void subscribe(String id, String destination) {
        send("SUBSCRIBE", Map.of("id", id, "destination", destination, "ack", "auto"), "");
    }

    public void unsubscribe(String id) {
        send("UNSUBSCRIBE", Map.of("id", id), "");
    }

    /** Sends a SEND frame (the service refuses them). */
    public void sendTo(String destination, String body) {
        send("SEND", Map.of("destination", destination, "content-type", "text/plain"), body);
    }

    /** MESSAGE frames received so far for subscription {@code id}, in arrival order. */
    public List<Frame> messages(String id) {
        List<Frame> result = new ArrayList<>();
        for (Frame frame : frames) {
            if ("MESSAGE".equals(frame.command()) && id.equals(frame.header("subscription"))) {
                result.add(frame);
            }
        }
        return result;
    }

    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** Close status code once the server closed the connection. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    private synchronized void send(String command, Map<String, String> headers, String body) {
        StringBuilder frame = new StringBuilder(command).append('\n');
        headers.forEach((k, v) -> frame.append(k).append(':').append(v).append('\n'));
        frame.append('\n').append(body).append('\0');
        socket.sendText(frame, true).join();
    }

    @Override
    public void close() {
        try {
            send("DISCONNECT", Map.of(), "");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder pending = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            pending.append(data);
            int end;
            while ((end = pending.indexOf("\0")) >= 0) {
                String raw = pending.substring(0, end);
                pending.delete(0, end + 1);
                parse(raw);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            // Spring sends frames whose content-type is not text as binary WebSocket messages
            return onText(webSocket, java.nio.charset.StandardCharsets.UTF_8.decode(data), last);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            connected.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
            connected.completeExceptionally(error);
        }

        private void parse(String raw) {
            String text = raw.replaceFirst("^[\r\n]+", ""); // heart-beats are bare newlines
            if (text.isEmpty()) {
                return;
            }
            int headerEnd = text.indexOf("\n\n");
            String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
            String body = headerEnd < 0 ? "" : text.substring(headerEnd + 2);
            String[] lines = head.split("\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(lines[i].substring(0, colon), unescape(lines[i].substring(colon + 1)));
                }
            }
            Frame frame = new Frame(lines[0].trim(), headers, body);
            frames.add(frame);
            if ("CONNECTED".equals(frame.command())) {
                connected.complete(frame);
            } else if ("ERROR".equals(frame.command()) && !connected.isDone()) {
                connected.completeExceptionally(new IllegalStateException("ERROR frame: " + frame));
            }
        }

        private String unescape(String value) {
            return value.replace("\\c", ":")
                    .replace("\\n", "\n")
                    .replace("\\r", "\r")
                    .replace("\\\\", "\\");
        }
    }
}
