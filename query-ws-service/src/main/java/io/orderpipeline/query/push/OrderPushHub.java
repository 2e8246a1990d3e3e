package io.orderpipeline.query.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.query.feed.OrderStateListener;
import io.orderpipeline.query.feed.RecentOrderStates;
import io.orderpipeline.query.query.OrderQueryService;
import io.orderpipeline.query.query.Viewer;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.StoreUnavailableException;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers order states to STOMP subscribers of this instance.
 *
 * <h2>Destinations</h2>
 *
 * <ul>
 *   <li>{@value #ALL}: every change of every order (with the simple broker; with a relay, {@link RelayPublisher}
 *       publishes it to the external broker instead). Operators only.
 *   <li>{@value #ACCOUNT_PREFIX}{@code {accountId}}: every change of that account's orders, deltas like {@value #ALL}
 *       (published to the external broker as well when there is a relay).
 *   <li>{@value #ONE_PREFIX}{@code {orderId}}: one order. The first message is a <b>snapshot</b> (header
 *       {@code message-kind:snapshot}) of the order's current state, then every later change
 *       ({@code message-kind:delta}) in strictly increasing {@code version}, none lost between the two. If the order is
 *       not known yet, its first state is the snapshot. Only states the subscriber sees (its token grants the order's
 *       account) are delivered, the snapshot included: an order of another account looks unknown.
 * </ul>
 *
 * Who may subscribe to what is decided before the hub hears of a subscription ({@link StompAccess}).
 *
 * Every message has {@code content-type:application/json}, {@code order-id} and {@code order-version} headers and
 * an OrderState JSON body.
 *
 * <h2>Encoded once</h2>
 *
 * A state is written as JSON once, and as one STOMP frame per destination and kind ({@link FrameEncoder}); every
 * session subscribed to that destination is handed the same {@link EncodedFrame}, which {@link
 * SharedFrameStompEncoder} writes as it is with the session's subscription id. The per-session work left is the
 * WebSocket write itself.
 *
 * <h2>Snapshot without losing a change</h2>
 *
 * The subscription is registered (on the inbound channel, when the SUBSCRIBE frame arrives) <em>before</em> the
 * snapshot is read. Changes arriving meanwhile are buffered for that subscription. The snapshot is then the newest of:
 * the store (active copy, or a standby), the feed's recent states, and the buffered changes; it goes out first, and
 * only changes with a higher version follow. All of this happens under the order's lock, the same lock under which
 * the feed dispatches that order's changes, so there is no window in which a change can be neither in the snapshot
 * nor delivered after it. (Spring's own pitfall — a {@code @SubscribeMapping} reply racing broker broadcasts — does
 * not arise because the hub delivers both.)
 *
 * <h2>Slow subscribers</h2>
 *
 * The feed never blocks on a subscriber: it appends to the session's {@link SessionOutbox} and returns. Each session
 * has at most one message in the writer pool at a time; once {@code orders.push.coalesce-after} messages wait for a
 * session, its {@code /topic/orders} messages are coalesced to the latest state per order; a session with more than {@code orders.push.max-queued-per-session} waiting messages, or a
 * send pending longer than {@code orders.push.send-time-limit}, is closed with status 1013 (the client reconnects and
 * resubscribes; per-order subscriptions then start again from a snapshot). Spring's send-time and buffer limits and
 * Tomcat's blocking-send timeout bound the write itself. Other sessions and the pipeline are unaffected.
 */
@Component
public class OrderPushHub implements OrderStateListener {

    public static final String ALL = "/topic/orders";
    public static final String ONE_PREFIX = "/topic/orders.";
    public static final String ACCOUNT_PREFIX = "/topic/accounts.";
    public static final String KIND_HEADER = "message-kind";
    public static final String VERSION_HEADER = "order-version";
    public static final String ORDER_HEADER = "order-id";
    static final String DONE_HEADER = "orderPushDone";

    private static final Logger log = LoggerFactory.getLogger(OrderPushHub.class);

    private final RecentOrderStates recent;
    private final OrderQueryService queries;
    private final PushProperties properties;
    private final boolean localFirehose;
    private final PushSessions pushSessions;
    private final ObjectProvider<MessageChannel> outbound;
    private final Map<String, SessionOutbox> outboxes = new ConcurrentHashMap<>();
    private final Map<String, OrderSubscribers> byOrder = new ConcurrentHashMap<>();
    private final Map<SubscriptionKey, Boolean> firehose = new ConcurrentHashMap<>();
    private final Map<String, Set<SubscriptionKey>> byAccount = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "order-push-snapshots");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService closer = Executors.newScheduledThreadPool(2, runnable -> {
        // closing a session whose writes are blocked can itself block until the transport gives up
        Thread thread = new Thread(runnable, "order-push-close");
        thread.setDaemon(true);
        return thread;
    });
    private final FrameEncoder frames;
    private final Counter sent;
    private final Counter disconnected;

    OrderPushHub(
            RecentOrderStates recent,
            OrderQueryService queries,
            JsonMapper json,
            PushProperties properties,
            StompRelayProperties relay,
            PushSessions pushSessions,
            @Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> outbound,
            ObjectProvider<MeterRegistry> meters) {
        this.recent = recent;
        this.queries = queries;
        this.properties = properties;
        this.localFirehose = !relay.enabled();
        this.pushSessions = pushSessions;
        this.outbound = outbound;
        MeterRegistry registry = meters.getIfAvailable();
        this.frames = new FrameEncoder(json, registry);
        if (registry != null) {
            this.sent = Counter.builder("orders.push.messages")
                    .description("STOMP messages handed to sessions")
                    .register(registry);
            this.disconnected = Counter.builder("orders.push.slow.disconnects")
                    .description("sessions closed because they could not keep up")
                    .register(registry);
            Gauge.builder("orders.push.sessions", outboxes, Map::size).register(registry);
            Gauge.builder("orders.push.order.subscriptions", byOrder, Map::size).register(registry);
            Gauge.builder(
                            "orders.push.max.waiting",
                            this,
                            hub -> hub.waitingBySession().values().stream()
                                    .mapToInt(Integer::intValue)
                                    .max()
                                    .orElse(0))
                    .description("messages waiting for the most backlogged session")
                    .register(registry);
        } else {
            this.sent = null;
            this.disconnected = null;
        }
    }

    record SubscriptionKey(String sessionId, String subscriptionId) {}

    /** One subscription to {@code /topic/orders.{id}}; guarded by its {@link OrderSubscribers}. */
    static final class OrderSubscription {
        final SubscriptionKey key;
        final String orderId;
        final String destination;
        final Viewer viewer;
        boolean awaitingSnapshot = true;
        long delivered = -1;
        OrderView buffered;

        OrderSubscription(SubscriptionKey key, String orderId, String destination, Viewer viewer) {
            this.key = key;
            this.orderId = orderId;
            this.destination = destination;
            this.viewer = viewer;
        }
    }

    static final class OrderSubscribers {
        final List<OrderSubscription> subscriptions = new ArrayList<>();
        /** The last snapshot encoded for this order, shared by subscriptions that snapshot the same version. */
        EncodedFrame snapshot;
    }

    // ---- subscriptions (called from the inbound channel) ----

    /** A SUBSCRIBE frame for one of our destinations arrived, from a session {@link StompAccess} let subscribe. */
    void subscribe(String sessionId, String subscriptionId, String destination, Viewer viewer) {
        log.debug("Session {} subscribes {} to {}", sessionId, subscriptionId, destination);
        SubscriptionKey key = new SubscriptionKey(sessionId, subscriptionId);
        outboxes.computeIfAbsent(
                sessionId,
                id -> new SessionOutbox(
                        id,
                        properties.maxQueuedPerSession(),
                        properties.coalesceAfter(),
                        properties.sendTimeLimit().toNanos()));
        if (ALL.equals(destination)) {
            if (localFirehose) {
                firehose.put(key, Boolean.TRUE);
            }
            return;
        }
        if (destination.startsWith(ACCOUNT_PREFIX)) {
            if (localFirehose) {
                byAccount
                        .computeIfAbsent(
                                destination.substring(ACCOUNT_PREFIX.length()), a -> ConcurrentHashMap.newKeySet())
                        .add(key);
            }
            return;
        }
        String orderId = destination.substring(ONE_PREFIX.length());
        OrderSubscription subscription = new OrderSubscription(key, orderId, destination, viewer);
        byOrder.compute(orderId, (id, subscribers) -> {
            OrderSubscribers current = subscribers == null ? new OrderSubscribers() : subscribers;
            synchronized (current) {
                current.subscriptions.add(subscription);
            }
            return current;
        });
        background.execute(() -> fetchSnapshot(subscription, 1));
    }

    void unsubscribe(String sessionId, String subscriptionId) {
        SubscriptionKey key = new SubscriptionKey(sessionId, subscriptionId);
        firehose.remove(key);
        removeAccountSubscriptions(key::equals);
        for (String orderId : List.copyOf(byOrder.keySet())) {
            removeOrderSubscriptions(orderId, s -> s.key.equals(key));
        }
    }

    void disconnect(String sessionId) {
        log.debug("Session {} disconnected", sessionId);
        SessionOutbox outbox = outboxes.remove(sessionId);
        if (outbox != null) {
            outbox.close();
        }
        firehose.keySet().removeIf(key -> key.sessionId().equals(sessionId));
        removeAccountSubscriptions(key -> key.sessionId().equals(sessionId));
        for (String orderId : List.copyOf(byOrder.keySet())) {
            removeOrderSubscriptions(orderId, s -> s.key.sessionId().equals(sessionId));
        }
    }

    private void removeAccountSubscriptions(java.util.function.Predicate<SubscriptionKey> which) {
        for (String account : List.copyOf(byAccount.keySet())) {
            byAccount.computeIfPresent(account, (id, keys) -> {
                keys.removeIf(which);
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    private void removeOrderSubscriptions(String orderId, java.util.function.Predicate<OrderSubscription> which) {
        byOrder.computeIfPresent(orderId, (id, subscribers) -> {
            synchronized (subscribers) {
                subscribers.subscriptions.removeIf(which);
                return subscribers.subscriptions.isEmpty() ? null : subscribers;
            }
        });
    }

    // ---- snapshots ----

    private void fetchSnapshot(OrderSubscription subscription, int attempt) {
        Optional<OrderView> stored;
        try {
            stored = queries.find(subscription.orderId, subscription.viewer);
        } catch (StoreUnavailableException e) {
            if (attempt < properties.snapshotAttempts() && isRegistered(subscription)) {
                long delay = Math.min(2000, 100L << attempt);
                background.schedule(() -> fetchSnapshot(subscription, attempt + 1), delay, TimeUnit.MILLISECONDS);
                return;
            }
            log.info(
                    "No store copy answered for the snapshot of order {}; using the feed's recent state",
                    subscription.orderId);
            stored = Optional.empty();
        } catch (RuntimeException e) {
            log.warn("Snapshot read of order {} failed", subscription.orderId, e);
            stored = Optional.empty();
        }
        completeSnapshot(subscription, stored);
    }

    private boolean isRegistered(OrderSubscription subscription) {
        OrderSubscribers subscribers = byOrder.get(subscription.orderId);
        if (subscribers == null) {
            return false;
        }
        synchronized (subscribers) {
            return subscribers.subscriptions.contains(subscription);
        }
    }

    private void completeSnapshot(OrderSubscription subscription, Optional<OrderView> stored) {
        OrderSubscribers subscribers = byOrder.get(subscription.orderId);
        if (subscribers == null) {
            return;
        }
        synchronized (subscribers) {
            if (!subscribers.subscriptions.contains(subscription) || !subscription.awaitingSnapshot) {
                return;
            }
            Optional<OrderView> snapshot = RecentOrderStates.newest(
                            RecentOrderStates.newest(stored, recent.get(subscription.orderId)),
                            Optional.ofNullable(subscription.buffered))
                    .filter(subscription.viewer::sees);
            subscription.awaitingSnapshot = false;
            subscription.buffered = null;
            if (snapshot.isPresent()) {
                OrderView state = snapshot.get();
                if (subscribers.snapshot == null
                        || subscribers.snapshot.version() != state.version()
                        || !subscribers.snapshot.destination().equals(subscription.destination)) {
                    subscribers.snapshot = frames.of(state).frame(subscription.destination, "snapshot");
                }
                deliver(subscription, state, subscribers.snapshot);
            } else {
                subscription.delivered = 0; // unknown so far: its first state will be the snapshot
            }
        }
    }

    // ---- changes (called by the feed thread) ----

    @Override
    public void onState(OrderView state) {
        FrameEncoder.StateMessages messages = frames.of(state);
        if (localFirehose && !firehose.isEmpty()) {
            EncodedFrame frame = messages.frame(ALL, "delta");
            for (SubscriptionKey key : firehose.keySet()) {
                enqueue(key.sessionId(), key, new SessionOutbox.Pending(key.subscriptionId(), state, frame), true);
            }
        }
        Set<SubscriptionKey> ofAccount = localFirehose ? byAccount.get(state.accountId()) : null;
        if (ofAccount != null && !ofAccount.isEmpty()) {
            EncodedFrame frame = messages.frame(ACCOUNT_PREFIX + state.accountId(), "delta");
            for (SubscriptionKey key : ofAccount) {
                enqueue(key.sessionId(), key, new SessionOutbox.Pending(key.subscriptionId(), state, frame), true);
            }
        }
        OrderSubscribers subscribers = byOrder.get(state.orderId());
        if (subscribers == null) {
            return;
        }
        synchronized (subscribers) {
            for (OrderSubscription subscription : subscribers.subscriptions) {
                if (subscription.awaitingSnapshot) {
                    if (subscription.buffered == null || subscription.buffered.version() < state.version()) {
                        subscription.buffered = state; // only the newest matters: the snapshot will be >= it
                    }
                } else if (state.version() > subscription.delivered && subscription.viewer.sees(state)) {
                    String kind = subscription.delivered == 0 ? "snapshot" : "delta";
                    deliver(subscription, state, messages.frame(subscription.destination, kind));
                }
            }
        }
    }

    /** Caller holds the order's lock. */
    private void deliver(OrderSubscription subscription, OrderView state, EncodedFrame frame) {
        subscription.delivered = state.version();
        enqueue(
                subscription.key.sessionId(),
                null,
                new SessionOutbox.Pending(subscription.key.subscriptionId(), state, frame),
                false);
    }

    private void enqueue(String sessionId, SubscriptionKey key, SessionOutbox.Pending message, boolean coalesce) {
        SessionOutbox outbox = outboxes.get(sessionId);
        if (outbox == null) {
            return;
        }
        Object coalesceKey = coalesce ? new CoalesceKey(key, message.state().orderId()) : null;
        SessionOutbox.Step step = outbox.offer(coalesceKey, message, System.nanoTime());
        if (!step.ok()) {
            terminate(outbox, step.problem());
            return;
        }
        if (step.next() != null) {
            send(outbox, step.next());
        }
    }

    private record CoalesceKey(SubscriptionKey subscription, String orderId) {}

    private void send(SessionOutbox outbox, SessionOutbox.Pending first) {
        SessionOutbox.Pending next = first;
        while (next != null) {
            try {
                if (outbound.getObject().send(toMessage(outbox, next))) {
                    if (sent != null) {
                        sent.increment();
                    }
                    return; // the next one is released when this one has been handled
                }
            } catch (RuntimeException e) {
                log.debug("Handing a message for session {} to the channel failed", outbox.sessionId(), e);
            }
            next = outbox.completed(System.nanoTime());
        }
    }

    private Message<byte[]> toMessage(SessionOutbox outbox, SessionOutbox.Pending pending) {
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.MESSAGE);
        headers.setSessionId(outbox.sessionId());
        headers.setSubscriptionId(pending.subscriptionId());
        EncodedFrame frame = pending.frame();
        headers.setDestination(frame.destination());
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        headers.setMessageId(frame.messageId());
        headers.setNativeHeader(KIND_HEADER, frame.kind());
        headers.setNativeHeader(ORDER_HEADER, frame.orderId());
        headers.setNativeHeader(VERSION_HEADER, Long.toString(frame.version()));
        // the headers above are what the frame says, for interceptors; the session is sent the shared frame itself
        headers.setHeader(SharedFrameStompEncoder.FRAME_HEADER, frame);
        Runnable done = () -> send(outbox, outbox.completed(System.nanoTime()));
        headers.setHeader(DONE_HEADER, done);
        return MessageBuilder.createMessage(frame.body(), headers.getMessageHeaders());
    }

    /** Called by the outbound channel once a message of ours has been handled. */
    static void handled(Message<?> message) {
        Object done = message.getHeaders().get(DONE_HEADER);
        if (done instanceof Runnable task) {
            task.run();
        }
    }

    private void terminate(SessionOutbox outbox, String problem) {
        log.warn("Disconnecting slow STOMP session {}: {}", outbox.sessionId(), problem);
        if (disconnected != null) {
            disconnected.increment();
        }
        disconnect(outbox.sessionId());
        closer.execute(() -> pushSessions.close(outbox.sessionId(), "slow consumer"));
    }

    /** Order states written as JSON for STOMP so far (for metrics and tests). */
    long encodedBodies() {
        return frames.bodies();
    }

    /** STOMP frames encoded so far, each shared by every subscriber of its destination (for metrics and tests). */
    long encodedFrames() {
        return frames.frames();
    }

    /** Messages waiting for {@code sessionId} (for metrics and tests). */
    int waiting(String sessionId) {
        SessionOutbox outbox = outboxes.get(sessionId);
        return outbox == null ? 0 : outbox.waiting();
    }

    /** Messages waiting per session, for diagnostics. */
    Map<String, Integer> waitingBySession() {
        Map<String, Integer> waiting = new java.util.TreeMap<>();
        outboxes.forEach((id, outbox) -> waiting.put(id, outbox.waiting()));
        return waiting;
    }

    /** Sessions with at least one order subscription. */
    int sessions() {
        return outboxes.size();
    }

    @PreDestroy
    void shutdown() {
        background.shutdownNow();
        closer.shutdownNow();
    }
}
