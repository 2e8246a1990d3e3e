package io.orderpipeline.bench.recovery;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.http.Arrivals;
import io.orderpipeline.bench.http.JsonScan;
import io.orderpipeline.bench.http.LoadLoop;
import io.orderpipeline.bench.kafka.OutputWatcher;
import io.orderpipeline.bench.stack.ServiceControl;
import io.orderpipeline.bench.stack.Sleep;
import io.orderpipeline.bench.stack.Stack;
import io.orderpipeline.bench.stomp.StompSubscriber;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 5: SIGKILL the stream-processor while orders arrive at half load, start it again at once, and measure
 * time to the first STOMP push after the restart, time until every accepted order has reached a terminal state
 * (the backlog drained), and correctness: orders accepted (202) that never reach a terminal state (lost), and
 * transitions on {@code orders.events} that appear twice or orders placed twice (duplicated). Both must be 0.
 */
public final class RecoveryScenario {

    /** Event types that never carry a transition (their version is the order's current one). */
    private static final Set<OrderEventType> NO_OP_EVENTS = java.util.EnumSet.of(
            OrderEventType.EXECUTION_IGNORED,
            OrderEventType.CANCEL_IGNORED,
            OrderEventType.REPLAY_IGNORED,
            OrderEventType.REDRIVEN);

    private static final Logger log = LoggerFactory.getLogger(RecoveryScenario.class);

    private final BenchContext ctx;

    public RecoveryScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    private static boolean terminal(OrderStatus s) {
        return s == OrderStatus.PLACED
                || s == OrderStatus.REJECTED
                || s == OrderStatus.FAILED
                || s == OrderStatus.CANCELLED;
    }

    public void run() {
        double rate = ctx.halfLoad();
        Duration before = ctx.plan.recoveryBefore();
        Duration after = ctx.plan.recoveryAfter();
        ServiceControl control = ctx.processorControl();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicLong postErrors = new AtomicLong();
        AtomicLong lastPushBeforeKill = new AtomicLong();
        AtomicLong firstPushAfterRestart = new AtomicLong();
        AtomicLong killAt = new AtomicLong();
        AtomicLong restartAt = new AtomicLong();
        AtomicLong listeningAt = new AtomicLong();
        // events of this phase only: from the current end of orders.events
        Map<TopicPartition, Long> eventsFrom =
                ctx.kafka.endOffsets(ctx.topics.events().name());
        Map<String, List<long[]>> events = new ConcurrentHashMap<>(); // orderId -> [version, placed?]
        // events that record something without a transition carry the order's current version: a venue report that
        // changes nothing (EXECUTION_IGNORED: a report the venue sent again after the restart, the ORDER_STATUS answer
        // to a placement sent again), and the other *_IGNORED / REDRIVEN; they are counted, not checked for repeats
        java.util.concurrent.atomic.AtomicLong noOpEvents = new java.util.concurrent.atomic.AtomicLong();
        Set<String> committed = ConcurrentHashMap.newKeySet(); // orderId/version/status on orders.state
        Map<String, Integer> pushed = new ConcurrentHashMap<>(); // orderId/version/status pushed on STOMP
        try (OutputWatcher<OrderState> states = new OutputWatcher<>(
                                ctx.kafka,
                                ctx.topics.state().name(),
                                ctx.topics.state().valueSerde().deserializer(),
                                null,
                                (k, v) -> v != null && terminal(v.getStatus()))
                        .listener((record, seen) -> {
                            if (record.value() != null) {
                                committed.add(
                                        record.key() + "/" + record.value().getVersion() + "/"
                                                + record.value().getStatus());
                            }
                        });
                OutputWatcher<OrderEvent> eventWatcher = new OutputWatcher<OrderEvent>(
                                ctx.kafka,
                                ctx.topics.events().name(),
                                ctx.topics.events().valueSerde().deserializer(),
                                eventsFrom,
                                (k, v) -> false)
                        .listener((record, seen) -> {
                            OrderEvent e = record.value();
                            if (e != null && NO_OP_EVENTS.contains(e.getType())) {
                                noOpEvents.incrementAndGet();
                            } else if (e != null) {
                                events.computeIfAbsent(
                                                e.getOrderId(),
                                                id -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                        .add(new long[] {e.getVersion(), e.getType() == OrderEventType.PLACED ? 1 : 0});
                            }
                        });
                StompSubscriber stomp = StompSubscriber.connectAny(
                        ctx.settings.webSocketUrls(),
                        List.of("/topic/orders"),
                        (dest, body, at) -> {
                            String id = JsonScan.stringField(body, "orderId");
                            long version = JsonScan.longField(body, "version", -1);
                            String status = JsonScan.stringField(body, "status");
                            if (id != null) {
                                pushed.merge(id + "/" + version + "/" + status, 1, Integer::sum);
                            }
                            if (killAt.get() == 0) {
                                lastPushBeforeKill.set(at);
                            } else if (restartAt.get() != 0 && at > restartAt.get()) {
                                firstPushAfterRestart.compareAndSet(0, at);
                            }
                        },
                        Duration.ofSeconds(10));
                LoadLoop loop = new LoadLoop(10_000)) {
            LoadLoop.Endpoint ingest = loop.endpoint(ctx.settings.ingestUrl(), 256);
            LoadLoop.Callback cb = new LoadLoop.Callback() {
                @Override
                public void completed(LoadLoop.Call call, int status, byte[] body, long done) {
                    String id = status / 100 == 2 ? JsonScan.stringField(body, "orderId") : null;
                    if (id == null) {
                        postErrors.incrementAndGet();
                    } else {
                        accepted.add(id);
                    }
                }

                @Override
                public void failed(LoadLoop.Call call, String reason, long done) {
                    postErrors.incrementAndGet();
                }
            };
            long start = System.nanoTime();
            Duration total = before.plus(after);
            Thread killer = new Thread(
                    () -> {
                        Sleep.millis(before.toMillis());
                        killAt.set(System.nanoTime());
                        control.kill();
                        restartAt.set(System.nanoTime());
                        control.restart();
                        control.awaitListening(Duration.ofSeconds(180));
                        listeningAt.set(System.nanoTime());
                    },
                    "killer");
            killer.start();
            loop.run(
                    Arrivals.open(
                            rate,
                            Long.MAX_VALUE,
                            total.toNanos(),
                            start,
                            (seq, intended) -> new LoadLoop.Call(
                                    ingest,
                                    ingest.postJson("/orders", ctx.orders.postBody("recovery", ctx.nextSeq())),
                                    intended,
                                    null,
                                    cb)),
                    start + total.toNanos() + TimeUnit.SECONDS.toNanos(15));
            joinQuietly(killer);
            ctx.stack = ctx.stack.with(Stack.PROCESSOR, control.awaitListening(Duration.ofSeconds(60)));
            long deadline = System.nanoTime() + ctx.plan.drainDeadline().toNanos();
            while (System.nanoTime() < deadline && !allTerminal(accepted, states)) {
                Sleep.millis(100);
            }
            Sleep.millis(2_000); // let the event watcher read the last committed transactions
            long lost =
                    accepted.stream().filter(id -> states.firstSeen(id) == null).count();
            long drainedAt = accepted.stream()
                    .map(states::firstSeen)
                    .filter(java.util.Objects::nonNull)
                    .mapToLong(Long::longValue)
                    .max()
                    .orElse(0);
            long duplicateTransitions = 0;
            long placedTwice = 0;
            long gaps = 0;
            for (String id : accepted) {
                List<long[]> list = events.getOrDefault(id, List.of());
                Set<Long> versions = new java.util.HashSet<>();
                long placed = 0;
                long maxVersion = 0;
                synchronized (list) {
                    for (long[] e : list) {
                        if (!versions.add(e[0])) {
                            duplicateTransitions++;
                        }
                        placed += e[1];
                        maxVersion = Math.max(maxVersion, e[0]);
                    }
                }
                if (placed > 1) {
                    placedTwice++;
                }
                if (maxVersion > versions.size()) {
                    gaps++;
                }
            }
            double toFirstPush =
                    firstPushAfterRestart.get() == 0 ? Double.NaN : (firstPushAfterRestart.get() - killAt.get()) / 1e9;
            double pushGap = firstPushAfterRestart.get() == 0 || lastPushBeforeKill.get() == 0
                    ? Double.NaN
                    : (firstPushAfterRestart.get() - lastPushBeforeKill.get()) / 1e9;
            double drain = drainedAt == 0 ? Double.NaN : (drainedAt - restartAt.get()) / 1e9;
            double killToRestart = (restartAt.get() - killAt.get()) / 1e9;
            // JVM start: the new process's launch to Spring Boot's "Started" (its own log); the rest is the group
            // join, state restore, processing and the first commit before the first push
            double jvmStart = control.startedAfterRestart().orElse(Double.NaN);
            double rest = toFirstPush - killToRestart - jvmStart;
            String at = String.format("@%.0f/s", rate);
            ctx.report.row(
                    "5 recovery",
                    "SIGKILL -> first STOMP push " + at,
                    toFirstPush,
                    "s",
                    String.format(
                            "= %.2f s kill to restart + %.1f s JVM start + %.1f s the rest; no pushes for %.1f s around"
                                    + " the kill; processor listening %.1f s after restart",
                            killToRestart, jvmStart, rest, pushGap, (listeningAt.get() - restartAt.get()) / 1e9));
            ctx.report.row(
                    "5 recovery",
                    "of it: JVM start (launch -> Spring Boot Started)",
                    jvmStart,
                    "s",
                    Double.isNaN(jvmStart)
                            ? "no \"Started ... (process running for ...)\" line in " + control.restartLog()
                            : "\"process running for\" of the restarted processor's start-up line");
            ctx.report.row(
                    "5 recovery",
                    "of it: the rest (Started -> first push: group join, restore, first commit)",
                    rest,
                    "s",
                    "session.timeout.ms bounds the wait for the killed member's partitions");
            ctx.report.row(
                    "5 recovery",
                    "restart -> backlog drained (every accepted order terminal)",
                    drain,
                    "s",
                    String.format(
                            "%d orders accepted during the phase, %d POST errors", accepted.size(), postErrors.get()));
            ctx.report.row("5 recovery", "lost orders (202 but never terminal)", lost, "orders", "must be 0");
            ctx.report.row(
                    "5 recovery",
                    "duplicated transitions / orders placed twice",
                    duplicateTransitions + placedTwice,
                    "events",
                    String.format(
                            "%d repeated (orderId, version) on orders.events, %d orders"
                                    + " with 2+ PLACED events, %d with version gaps; must be 0 (besides: %d events"
                                    + " without a transition, e.g. EXECUTION_IGNORED for a report the venue sent"
                                    + " again)",
                            duplicateTransitions, placedTwice, gaps, noOpEvents.get()));
            // what subscribers saw against what was committed: a pushed state that no committed record has (read from
            // an aborted transaction) is a phantom; the same state pushed twice is a subscriber-visible duplicate
            long phantom = pushed.keySet().stream()
                    .filter(k -> accepted.contains(k.substring(0, k.indexOf('/'))))
                    .filter(k -> !committed.contains(k))
                    .count();
            long pushedTwice = pushed.entrySet().stream()
                    .filter(e ->
                            accepted.contains(e.getKey().substring(0, e.getKey().indexOf('/'))))
                    .filter(e -> e.getValue() > 1)
                    .count();
            ctx.report.row(
                    "5 recovery",
                    "STOMP pushes of uncommitted states / states pushed twice",
                    phantom + pushedTwice,
                    "pushes",
                    String.format(
                            "%d pushed (orderId, version, status) not on the committed orders.state, %d pushed more"
                                    + " than once (what a subscriber sees of the crash)",
                            phantom, pushedTwice));
            log.info(
                    "recovery: first push {} s after restart, drained after {} s, lost {}, duplicates {}/{}, gaps {}",
                    toFirstPush,
                    drain,
                    lost,
                    duplicateTransitions,
                    placedTwice,
                    gaps);
        }
    }

    private static boolean allTerminal(Set<String> accepted, OutputWatcher<OrderState> states) {
        for (String id : accepted) {
            if (states.firstSeen(id) == null) {
                return false;
            }
        }
        return true;
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
