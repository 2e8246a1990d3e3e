package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.OrderEvent;

/**
 * Keys of the {@value OrderViewTopology#ORDER_EVENTS} store: {@code <orderId> U+0000 <position>}, where the position
 * is the event's version and time, each zero-padded to 19 digits, then its type. Stores compare keys as bytes, so a
 * range scan over one order's prefix yields its events oldest first. The version alone would not do: no-op events
 * ({@code DUPLICATE_IGNORED}, {@code CANCEL_IGNORED}, {@code EXECUTION_IGNORED}, {@code REPLAY_IGNORED}) carry the
 * version of the state they left alone, so they sort after that transition by their time, and one event read twice
 * (a restore, a replay of the topic) lands on the same key.
 */
public final class HistoryKeys {

    static final char SEPARATOR = '\u0000';
    private static final int DIGITS = 19;

    private HistoryKeys() {}

    static String key(OrderEvent event) {
        return prefix(event.getOrderId())
                + position(
                        event.getVersion(),
                        event.getOccurredAt() == null
                                ? 0
                                : event.getOccurredAt().toEpochMilli(),
                        String.valueOf(event.getType()));
    }

    /** The part of a key after the order's prefix: what a history cursor carries. */
    public static String position(long version, long occurredAtMillis, String type) {
        return pad(version) + pad(occurredAtMillis) + type;
    }

    /** Whether {@code position} could have been made by {@link #position}. */
    public static boolean isPosition(String position) {
        if (position == null || position.length() <= 2 * DIGITS) {
            return false;
        }
        for (int i = 0; i < 2 * DIGITS; i++) {
            if (!Character.isDigit(position.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String prefix(String orderId) {
        return orderId + SEPARATOR;
    }

    /** Greater than every key of the order, smaller than any other order's keys that sort after it. */
    static String upperBound(String orderId) {
        return orderId + (char) (SEPARATOR + 1);
    }

    private static String pad(long value) {
        String digits = Long.toString(Math.max(0L, value));
        return "0".repeat(Math.max(0, DIGITS - digits.length())) + digits;
    }
}
