package io.orderpipeline.query.push;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One order state as a complete STOMP {@code MESSAGE} frame for one destination, encoded once and shared by every
 * subscriber of that destination. Only the {@code subscription} header differs between subscribers; the frame is kept
 * as the bytes before and after that header's value, and {@link #forSubscription} joins them around it (cached per
 * subscription id, so subscribers that chose the same id — {@code sub-0} is the usual first one — get the very same
 * array). {@code message-id} identifies the encoded message, the same for all its subscribers, as a broker gives one
 * message delivered to many subscriptions. Thread-safe; immutable but for the cache.
 *
 * <p>The layout is what Spring's {@code StompEncoder} writes for the same headers (STOMP 1.2 escaping of header
 * values, {@code content-length}, the body, a NUL); {@link SharedFrameStompEncoder} hands it to the WebSocket session.
 */
final class EncodedFrame {

    private final String destination;
    private final String kind;
    private final String orderId;
    private final long version;
    private final String messageId;
    private final byte[] body;
    private final byte[] head;
    private final byte[] tail;
    private final Map<String, byte[]> bySubscription = new ConcurrentHashMap<>();

    EncodedFrame(String destination, String kind, String orderId, long version, String messageId, byte[] body) {
        this.destination = destination;
        this.kind = kind;
        this.orderId = orderId;
        this.version = version;
        this.messageId = messageId;
        this.body = body;
        ByteArrayOutputStream before = new ByteArrayOutputStream(128);
        write(before, "MESSAGE\n");
        header(before, "destination", destination);
        header(before, "content-type", "application/json");
        write(before, "subscription:");
        this.head = before.toByteArray();
        ByteArrayOutputStream after = new ByteArrayOutputStream(256 + body.length);
        write(after, "\n");
        header(after, "message-id", messageId);
        header(after, OrderPushHub.KIND_HEADER, kind);
        header(after, OrderPushHub.ORDER_HEADER, orderId);
        header(after, OrderPushHub.VERSION_HEADER, Long.toString(version));
        header(after, "content-length", Integer.toString(body.length));
        write(after, "\n");
        after.writeBytes(body);
        after.write(0);
        this.tail = after.toByteArray();
    }

    /** The whole frame as the subscription {@code subscriptionId} receives it. */
    byte[] forSubscription(String subscriptionId) {
        return bySubscription.computeIfAbsent(subscriptionId, id -> {
            byte[] escaped = escape(id).getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[head.length + escaped.length + tail.length];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(escaped, 0, frame, head.length, escaped.length);
            System.arraycopy(tail, 0, frame, head.length + escaped.length, tail.length);
            return frame;
        });
    }

    String destination() {
        return destination;
    }

    String kind() {
        return kind;
    }

    String orderId() {
        return orderId;
    }

    long version() {
        return version;
    }

    String messageId() {
        return messageId;
    }

    /** The JSON body, shared: never modify it. */
    byte[] body() {
        return body;
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        write(out, escape(name) + ":" + escape(value) + "\n");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** STOMP 1.2 header escaping, as Spring's encoder applies to frames other than CONNECT/CONNECTED. */
    private static String escape(String value) {
        StringBuilder escaped = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case ':' -> "\\c";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? value : escaped.toString();
    }
}
