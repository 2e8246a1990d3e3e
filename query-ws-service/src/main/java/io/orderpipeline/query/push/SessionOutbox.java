package io.orderpipeline.query.push;

import io.orderpipeline.query.view.OrderView;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The messages waiting for one WebSocket session. At most one message per session is handed to the outbound channel at
 * a time (the next is released when the previous has been written), which keeps a session's messages in order and
 * means a slow session ties up at most one writer thread.
 *
 * <p>A session that keeps up receives every message. Once {@code coalesceAfter} messages wait, a newer state of an order
 * on a coalescable subscription ({@code /topic/orders}) replaces that order's last waiting message in place instead of
 * queueing behind it: a lagging reader of the firehose sees every order's latest state, possibly skipping intermediate
 * versions, never going back. Per-order subscriptions are never coalesced. If more than {@code maxQueued} messages
 * wait, or a send has been in progress longer than the send-time limit, the outbox reports it so that the session can
 * be disconnected. Thread-safe.
 */
final class SessionOutbox {

    /** A message for one subscription of this session: a state and its frame, shared with other subscribers. */
    record Pending(String subscriptionId, OrderView state, EncodedFrame frame) {}

    /** What the caller must do after {@link #offer}: send {@code next} if not null; disconnect unless {@code ok}. */
    record Step(Pending next, boolean ok, String problem) {
        static final Step NOTHING = new Step(null, true, null);
    }

    private static final class Slot {
        Pending message;
        final Object coalesceKey;

        Slot(Pending message, Object coalesceKey) {
            this.message = message;
            this.coalesceKey = coalesceKey;
        }
    }

    private final String sessionId;
    private final int maxQueued;
    private final int coalesceAfter;
    private final long sendTimeLimitNanos;
    private final Deque<Slot> queue = new ArrayDeque<>();
    private final Map<Object, Slot> lastSlotByKey = new HashMap<>();
    private boolean inFlight;
    private long inFlightSince;
    private boolean closed;
    private long coalesced;

    SessionOutbox(String sessionId, int maxQueued, int coalesceAfter, long sendTimeLimitNanos) {
        this.sessionId = sessionId;
        this.maxQueued = maxQueued;
        this.coalesceAfter = coalesceAfter;
        this.sendTimeLimitNanos = sendTimeLimitNanos;
    }

    String sessionId() {
        return sessionId;
    }

    /**
     * Queues a message.
     *
     * @param coalesceKey identifies "the same order on the same subscription"; {@code null} never coalesces
     * @return the message to hand to the channel now, if the session was idle, and whether the session is healthy
     */
    synchronized Step offer(Object coalesceKey, Pending message, long nowNanos) {
        if (closed) {
            return Step.NOTHING;
        }
        if (inFlight && nowNanos - inFlightSince > sendTimeLimitNanos) {
            return new Step(
                    null, false, "a send has been pending for more than " + sendTimeLimitNanos / 1_000_000 + " ms");
        }
        if (coalesceKey != null && queue.size() >= coalesceAfter) {
            Slot last = lastSlotByKey.get(coalesceKey);
            if (last != null) {
                if (last.message.state().version() < message.state().version()) {
                    last.message = message; // the order's last waiting message: nothing of it queues behind
                    coalesced++;
                }
                return Step.NOTHING;
            }
        }
        Slot slot = new Slot(message, coalesceKey);
        queue.addLast(slot);
        if (coalesceKey != null) {
            lastSlotByKey.put(coalesceKey, slot);
        }
        if (queue.size() > maxQueued) {
            return new Step(null, false, queue.size() + " messages waiting (limit " + maxQueued + ")");
        }
        if (inFlight) {
            return Step.NOTHING;
        }
        return new Step(takeHead(nowNanos), true, null);
    }

    /** The previous message has been written (or failed); returns the next one to send, if any. */
    synchronized Pending completed(long nowNanos) {
        inFlight = false;
        if (closed || queue.isEmpty()) {
            return null;
        }
        return takeHead(nowNanos);
    }

    synchronized void close() {
        closed = true;
        queue.clear();
        lastSlotByKey.clear();
    }

    synchronized int waiting() {
        return queue.size();
    }

    synchronized long coalesced() {
        return coalesced;
    }

    private Pending takeHead(long nowNanos) {
        Slot head = queue.pollFirst();
        if (head.coalesceKey != null && lastSlotByKey.get(head.coalesceKey) == head) {
            lastSlotByKey.remove(head.coalesceKey);
        }
        inFlight = true;
        inFlightSince = nowNanos;
        return head.message;
    }
}
