package io.orderpipeline.bench.endtoend;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.baseline.KafkaLatencyBaseline;
import io.orderpipeline.bench.http.Arrivals;
import io.orderpipeline.bench.http.JsonScan;
import io.orderpipeline.bench.http.LatencyRecorder;
import io.orderpipeline.bench.http.LoadLoop;
import io.orderpipeline.bench.profile.JfrProfiler;
import io.orderpipeline.bench.report.Plots;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.stack.Sleep;
import io.orderpipeline.bench.stack.Stack;
import io.orderpipeline.bench.stomp.StompSubscriber;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 2: end to end at half load. Orders are POSTed on a fixed schedule; a STOMP subscriber on {@code
 * /topic/orders} notes when each order is first pushed as acknowledged by the venue (PLACED, or already
 * PARTIALLY_FILLED / FILLED when the venue's reports came together), and a sample of orders is polled with {@code GET
 * /orders/{id}} until it reads so. Both latencies run from the POST's intended send time. The same subscriber notes,
 * for every pushed fill, the time from the venue's execution ({@code fills[].executedAt}, the venue's clock, which is
 * this machine's) to the push: the fill path (venue -> FIX -> orders.executions -> topology -> read side -> STOMP).
 * The same run measures the raw-Kafka floor at the same rate ({@link KafkaLatencyBaseline}) and the stack's CPU per
 * 1k orders.
 */
public final class EndToEndScenario {

    private static final Logger log = LoggerFactory.getLogger(EndToEndScenario.class);
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final BenchContext ctx;

    public EndToEndScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    /** Statuses that say the venue has the order (the e2e figure's end point). */
    private static final String ACKNOWLEDGED = "PLACED,PARTIALLY_FILLED,FILLED";

    /** Outcome of one end-to-end run. */
    public record Outcome(
            LatencyRecorder post,
            LatencyRecorder push,
            LatencyRecorder getVisible,
            LatencyRecorder fillPush,
            long accepted,
            long pushes) {}

    private static final java.util.Set<String> ACKNOWLEDGED_STATUSES = java.util.Set.of(ACKNOWLEDGED.split(","));

    /** Whether {@code status} says the venue has the order. */
    public static boolean acknowledged(String status) {
        return status != null && ACKNOWLEDGED_STATUSES.contains(status);
    }

    /** At most this many warm-up windows before the measured run. */
    private static final int MAX_WARMUP_WINDOWS = 6;

    /**
     * Warms the whole path at the measured rate, unmeasured, in windows of {@code plan.warmup()} until the push p99
     * stops falling (a window within 20 % of the one before) or {@link #MAX_WARMUP_WINDOWS} passed. A stack that has
     * just started is still compiling: on the 2-core box its first 20 s at 100 orders/s pushed with p50 in seconds,
     * which is the JIT, not the pipeline; after earlier phases (the full run) one window is usually enough.
     */
    private void warmUp(double rate) {
        double previous = measure(rate, ctx.plan.warmup(), "e2e warm-up 1").push.percentileMillis(99);
        int windows = 1;
        while (windows < MAX_WARMUP_WINDOWS) {
            windows++;
            double p99 = measure(rate, ctx.plan.warmup(), "e2e warm-up " + windows)
                    .push
                    .percentileMillis(99);
            if (p99 >= previous * 0.8) {
                break;
            }
            previous = p99;
        }
        ctx.report.note(String.format(
                "e2e: warmed up for %d window(s) of %d s at %.0f orders/s (until the push p99 stopped falling)",
                windows, ctx.plan.warmup().toSeconds(), rate));
    }

    public void run() {
        double rate = ctx.e2eRate();
        Duration duration = ctx.plan.endToEnd();
        warmUp(rate);
        // what each process burns with no load at all (polls, heartbeats, metrics), to separate it from per-order cost
        Sleep.millis(3_000);
        Map<String, Long> idleStart = ctx.stack.cpuNanos();
        long idleFrom = System.nanoTime();
        Sleep.millis(5_000);
        Map<String, Double> idle = new java.util.LinkedHashMap<>();
        double idleSeconds = (System.nanoTime() - idleFrom) / 1e9;
        Stack.cpuSecondsBetween(idleStart, ctx.stack.cpuNanos()).forEach((k, v) -> idle.put(k, v / idleSeconds));
        JfrProfiler profiler =
                ctx.settings.jfr() ? new JfrProfiler(ctx.settings.workDir().resolve("jfr")) : null;
        if (profiler != null) {
            profiler.start(ctx.stack);
        }
        Map<String, Long> cpuBefore = ctx.stack.cpuNanos();
        long measuredFrom = System.nanoTime();
        Outcome o = measure(rate, duration, "e2e");
        Map<String, Long> cpuAfter = ctx.stack.cpuNanos();
        double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        if (profiler != null) {
            ctx.report.profiles.putAll(profiler.stopAndSummarize(12));
            ctx.report.profilePhase = String.format("e2e at %.0f orders/s for %d s", rate, duration.toSeconds());
        }
        ctx.recordResources(
                String.format("e2e at %.0f orders/s", rate),
                Stack.cpuSecondsBetween(cpuBefore, cpuAfter),
                idle,
                measuredSeconds,
                o.accepted);

        cpuRow(rate, Stack.cpuSecondsBetween(cpuBefore, cpuAfter), idle, measuredSeconds, o.accepted);

        KafkaLatencyBaseline.Result kafka = new KafkaLatencyBaseline(ctx).run(rate, duration);
        String at = String.format(" @%.0f/s", rate);
        Plots.loadPoint(ctx.report, Plots.E2E_LATENCY, rate, o.push.histogram());
        Plots.distribution(ctx.report, String.format("e2e push @%.0f/s", rate), o.push.histogram());
        if (kafka.problem() == null) {
            Plots.distribution(ctx.report, "raw Kafka baseline", kafka.latency().histogram());
        } else {
            ctx.report.note("e2e: the raw-Kafka baseline was not measured: " + kafka.problem());
        }
        String baselineName = "Kafka produce->pass-through->consume p99";
        ctx.report.add(new Report.Row(
                "2 e2e",
                "POST -> STOMP push of PLACED (venue ack), p99" + at,
                o.push.percentileMillis(99),
                "ms",
                kafka.p(99),
                baselineName,
                false,
                String.format(
                        "p50 %.1f ms (%s); %d of %d orders pushed; POST p99 %.1f ms",
                        o.push.percentileMillis(50),
                        kafka.describe(),
                        o.push.ok(),
                        o.accepted,
                        o.post.percentileMillis(99))));
        ctx.report.add(new Report.Row(
                "2 e2e",
                "POST -> PLACED (venue ack) visible in GET /orders/{id}, p99" + at,
                o.getVisible.percentileMillis(99),
                "ms",
                kafka.p(99),
                baselineName,
                false,
                String.format(
                        "p50 %.1f ms; %d sampled orders, %s",
                        o.getVisible.percentileMillis(50),
                        o.getVisible.ok() + o.getVisible.errorCount(),
                        ctx.settings.getLongPoll()
                                ? "long-poll ?waitForStatus=" + ACKNOWLEDGED
                                : "polled every " + TimeUnit.NANOSECONDS.toMillis(POLL_INTERVAL_NANOS) + " ms")));
        ctx.report.add(new Report.Row(
                "2 e2e",
                "venue fill -> STOMP push, p99" + at,
                o.fillPush.ok() == 0 ? Double.NaN : o.fillPush.percentileMillis(99),
                "ms",
                kafka.p(99),
                baselineName,
                false,
                String.format(
                        "p50 %.1f ms; %d fills pushed (from the fill's executedAt at the venue, ms clock)",
                        o.fillPush.percentileMillis(50), o.fillPush.ok())));
    }

    /**
     * CPU-seconds per 1,000 orders of the whole pipeline (every stack process: broker, registry and the three
     * services), from /proc during the measured e2e run; the same figure net of what the processes burn idle.
     */
    private void cpuRow(
            double rate, Map<String, Double> cpu, Map<String, Double> idlePerSecond, double seconds, long orders) {
        if (orders == 0) {
            ctx.report.row(
                    "2 e2e",
                    String.format("CPU-seconds per 1,000 orders, whole pipeline @%.0f/s", rate),
                    Double.NaN,
                    "CPU-s",
                    "no order accepted");
            return;
        }
        double total = 0;
        double net = 0;
        StringBuilder parts = new StringBuilder();
        for (Map.Entry<String, Double> e : cpu.entrySet()) {
            double perK = e.getValue() / (orders / 1000.0);
            total += e.getValue();
            net += Math.max(0, e.getValue() - idlePerSecond.getOrDefault(e.getKey(), 0.0) * seconds);
            parts.append(parts.isEmpty() ? "" : ", ").append(e.getKey()).append(String.format(" %.3f", perK));
        }
        ctx.report.row(
                "2 e2e",
                String.format("CPU-seconds per 1,000 orders, whole pipeline @%.0f/s", rate),
                total / (orders / 1000.0),
                "CPU-s",
                String.format(
                        "net of idle %.3f; %s; %d orders in %.0f s%s",
                        net / (orders / 1000.0),
                        parts,
                        orders,
                        seconds,
                        Double.isNaN(ctx.settings.e2eRate())
                                ? " (half load; pin with BENCH_E2E_RATE)"
                                : " (BENCH_E2E_RATE)"));
    }

    /** POSTs at {@code rate} for {@code duration} and measures both end-to-end latencies. */
    public Outcome measure(double rate, Duration duration, String name) {
        Map<String, Long> placedPush = new ConcurrentHashMap<>();
        // venue execution id -> milliseconds from the execution to its push (the first push that carries it)
        Map<String, Long> fillPushMillis = new ConcurrentHashMap<>();
        Map<String, Long> postIntended = new HashMap<>();
        Map<String, Long> getVisible = new HashMap<>();
        Map<String, Long> getIntended = new HashMap<>();
        LatencyRecorder post = new LatencyRecorder();
        // GET visibility is read with the query service's long-poll (one request per sampled order, answered when the
        // order is PLACED); polling (BENCH_GET_MODE=poll) is the fallback for a service without it. Sampling keeps
        // these requests a small part of the load.
        boolean longPoll = ctx.settings.getLongPoll();
        long sampleEvery = Math.max(1, Math.round(rate / (longPoll ? 100 : 10)));
        try (StompSubscriber stomp = StompSubscriber.connectAny(
                        ctx.settings.webSocketUrls(),
                        List.of("/topic/orders"),
                        (dest, body, at) -> {
                            if (acknowledged(JsonScan.stringField(body, "status"))) {
                                placedPush.putIfAbsent(JsonScan.stringField(body, "orderId"), at);
                                recordFills(body, fillPushMillis);
                            }
                        },
                        Duration.ofSeconds(10));
                LoadLoop loop = new LoadLoop(10_000)) {
            LoadLoop.Endpoint ingest = loop.endpoint(ctx.settings.ingestUrl(), 256);
            LoadLoop.Endpoint query = loop.endpoint(ctx.settings.queryUrl(), 64);
            long[] accepted = {0};
            LoadLoop.Callback getCallback = new LoadLoop.Callback() {
                @Override
                public void completed(LoadLoop.Call call, int status, byte[] body, long done) {
                    String id = (String) call.tag;
                    if (status == 200 && acknowledged(JsonScan.stringField(body, "status"))) {
                        getVisible.put(id, done);
                    } else if (done - getIntended.get(id) < GIVE_UP_NANOS) {
                        // not there yet (poll), or the long-poll ended without PLACED: ask again shortly
                        loop.at(done + POLL_INTERVAL_NANOS, () -> poll(loop, query, id, this, longPoll));
                    }
                }

                @Override
                public void failed(LoadLoop.Call call, String reason, long done) {
                    String id = (String) call.tag;
                    if (done - getIntended.get(id) < GIVE_UP_NANOS) {
                        loop.at(done + POLL_INTERVAL_NANOS, () -> poll(loop, query, id, this, longPoll));
                    }
                }
            };
            LoadLoop.Callback postCallback = new LoadLoop.Callback() {
                @Override
                public void completed(LoadLoop.Call call, int status, byte[] body, long done) {
                    if (status / 100 != 2) {
                        post.error("http " + status, done);
                        return;
                    }
                    post.ok(done - call.intendedNanos, done);
                    String id = JsonScan.stringField(body, "orderId");
                    if (id == null) {
                        return;
                    }
                    ctx.rememberOrder(id);
                    postIntended.put(id, call.intendedNanos);
                    if (accepted[0]++ % sampleEvery == 0) {
                        getIntended.put(id, call.intendedNanos);
                        poll(loop, query, id, getCallback, longPoll);
                    }
                }

                @Override
                public void failed(LoadLoop.Call call, String reason, long done) {
                    post.error(reason, done);
                }
            };
            long start = System.nanoTime();
            Arrivals.Open arrivals = Arrivals.open(
                    rate,
                    Long.MAX_VALUE,
                    duration.toNanos(),
                    start,
                    (seq, intended) -> new LoadLoop.Call(
                            ingest,
                            ingest.postJson("/orders", ctx.orders.postBody("e2e", ctx.nextSeq())),
                            intended,
                            null,
                            postCallback));
            loop.run(arrivals, start + duration.toNanos() + GIVE_UP_NANOS + TimeUnit.SECONDS.toNanos(5));
            // pushes may still be on their way
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !placedPush.keySet().containsAll(postIntended.keySet())) {
                Sleep.millis(50);
            }
            LatencyRecorder push = new LatencyRecorder();
            LatencyRecorder visible = new LatencyRecorder();
            long now = System.nanoTime();
            postIntended.forEach((id, intended) -> {
                Long at = placedPush.get(id);
                if (at == null) {
                    push.error("no PLACED (or later) push within 10 s", now);
                } else {
                    push.ok(at - intended, at);
                }
            });
            getIntended.forEach((id, intended) -> {
                Long at = getVisible.get(id);
                if (at == null) {
                    visible.error("not PLACED (or later) in GET within 10 s", now);
                } else {
                    visible.ok(at - intended, at);
                }
            });
            log.info(
                    "{} @{}/s: POST p50={} p99={} | push p50={} p99={} ({} of {}) | GET-visible p50={} p99={} ({}"
                            + " sampled), STOMP messages {}{}",
                    name,
                    Math.round(rate),
                    post.percentileMillis(50),
                    post.percentileMillis(99),
                    push.percentileMillis(50),
                    push.percentileMillis(99),
                    push.ok(),
                    postIntended.size(),
                    visible.percentileMillis(50),
                    visible.percentileMillis(99),
                    getIntended.size(),
                    stomp.messages(),
                    post.errorCount() > 0 ? ", POST errors " + post.errors() : "");
            LatencyRecorder fills = new LatencyRecorder();
            fillPushMillis
                    .values()
                    .forEach(millis -> fills.ok(TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)), now));
            return new Outcome(post, push, visible, fills, postIntended.size(), stomp.messages());
        }
    }

    /**
     * Notes, for each fill in a pushed state ({@code fills[]}: {@code executionId}, {@code executedAt} as ISO-8601),
     * how long after its execution it was first pushed. The state carries every fill so far; only the first push of
     * an execution id counts.
     */
    private static void recordFills(byte[] body, Map<String, Long> fillPushMillis) {
        List<String> ids = JsonScan.stringFields(body, "executionId");
        if (ids.isEmpty()) {
            return;
        }
        long nowMillis = System.currentTimeMillis();
        List<String> times = JsonScan.stringFields(body, "executedAt");
        for (int i = 0; i < ids.size() && i < times.size(); i++) {
            String executedAt = times.get(i);
            fillPushMillis.computeIfAbsent(ids.get(i), id -> {
                try {
                    return nowMillis - java.time.Instant.parse(executedAt).toEpochMilli();
                } catch (java.time.format.DateTimeParseException e) {
                    return null;
                }
            });
        }
    }

    private static void poll(
            LoadLoop loop, LoadLoop.Endpoint query, String id, LoadLoop.Callback callback, boolean longPoll) {
        String path = "/orders/" + id + (longPoll ? "?waitForStatus=" + ACKNOWLEDGED + "&timeout=10s" : "");
        loop.submit(new LoadLoop.Call(query, query.get(path), System.nanoTime(), id, callback));
    }
}
