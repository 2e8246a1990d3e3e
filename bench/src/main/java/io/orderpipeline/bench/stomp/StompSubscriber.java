package io.orderpipeline.bench.stomp;

import io.orderpipeline.bench.http.BearerToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal STOMP 1.2 subscriber over a plain WebSocket (the JDK's client): CONNECT, SUBSCRIBE, then every MESSAGE
 * body goes to a {@link Listener} with the time it arrived. Independent of the project's own code path, so it also
 * shows that a third-party STOMP client can use {@code /ws}.
 */
public final class StompSubscriber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StompSubscriber.class);

    /** Receives each message body (UTF-8 JSON) on a WebSocket thread. */
    @FunctionalInterface
    public interface Listener {
        void message(String destination, byte[] body, long receivedNanos);
    }

    private final WebSocket socket;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicLong messages = new AtomicLong();
    private volatile String error;
    private volatile boolean closing;

    private StompSubscriber(URI uri, List<String> destinations, Listener listener, Duration timeout) {
        Frames frames = new Frames(listener);
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(timeout)
                .subprotocols("v12.stomp", "v11.stomp", "v10.stomp")
                .buildAsync(uri, frames)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .join();
        // the secured query-ws-service refuses a CONNECT without the run's token (BearerToken.install)
        String bearer = BearerToken.installedValue();
        String authorization = bearer == null ? "" : "Authorization:" + bearer + "\n";
        socket.sendText(
                        "CONNECT\naccept-version:1.2\nhost:" + uri.getHost() + "\nheart-beat:0,0\n" + authorization
                                + "\n\0",
                        true)
                .join();
        try {
            if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no CONNECTED from " + uri + (error == null ? "" : ": " + error));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int id = 0;
        for (String destination : destinations) {
            socket.sendText("SUBSCRIBE\nid:sub-" + id++ + "\ndestination:" + destination + "\nack:auto\n\n\0", true)
                    .join();
        }
    }

    /** Connects to {@code uri} (e.g. {@code ws://127.0.0.1:8081/ws}) and subscribes to {@code destinations}. */
    public static StompSubscriber connect(URI uri, List<String> destinations, Listener listener, Duration timeout) {
        return new StompSubscriber(uri, destinations, listener, timeout);
    }

    /** Tries each candidate endpoint in turn (e.g. {@code /ws}, then SockJS's raw {@code /ws/websocket}). */
    public static StompSubscriber connectAny(
            List<URI> candidates, List<String> destinations, Listener listener, Duration timeout) {
        RuntimeException last = null;
        for (URI uri : candidates) {
            try {
                StompSubscriber subscriber = connect(uri, destinations, listener, timeout);
                log.info("STOMP subscribed at {} to {}", uri, destinations);
                return subscriber;
            } catch (RuntimeException e) {
                last = e;
                log.info("STOMP at {} failed: {}", uri, e.toString());
            }
        }
        throw last == null ? new IllegalArgumentException("no candidates") : last;
    }

    public long messages() {
        return messages.get();
    }

    public String error() {
        return error;
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.sendText("DISCONNECT\n\n\0", true).get(2, TimeUnit.SECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    /** Reassembles WebSocket text fragments and splits them into NUL-terminated STOMP frames. */
    private final class Frames implements WebSocket.Listener {
        private final Listener listener;
        private final StringBuilder pending = new StringBuilder();

        Frames(Listener listener) {
            this.listener = listener;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            pending.append(data);
            int nul;
            while ((nul = pending.indexOf("\0")) >= 0) {
                String frame = pending.substring(0, nul);
                pending.delete(0, nul + 1);
                handle(frame, now);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String frame, long now) {
            String f = frame.startsWith("\n") || frame.startsWith("\r\n") ? frame.stripLeading() : frame;
            if (f.isEmpty()) {
                return; // heart-beat
            }
            int headerEnd = f.indexOf("\n\n");
            String head = headerEnd >= 0 ? f.substring(0, headerEnd) : f;
            String body = headerEnd >= 0 ? f.substring(headerEnd + 2) : "";
            String[] lines = head.split("\r?\n");
            switch (lines[0].trim()) {
                case "CONNECTED" -> connected.countDown();
                case "MESSAGE" -> {
                    messages.incrementAndGet();
                    String destination = "";
                    for (String line : lines) {
                        if (line.startsWith("destination:")) {
                            destination = line.substring("destination:".length());
                        }
                    }
                    listener.message(destination, body.getBytes(StandardCharsets.UTF_8), now);
                }
                case "ERROR" -> {
                    error = head.replace('\n', ' ') + " " + body;
                    if (!closing) {
                        log.warn("STOMP ERROR frame: {}", error);
                    }
                }
                default -> {
                    // RECEIPT and others are not used
                }
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                error = "closed " + statusCode + " " + reason;
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable e) {
            error = e.toString();
            log.warn("STOMP socket error: {}", e.toString());
        }
    }
}
