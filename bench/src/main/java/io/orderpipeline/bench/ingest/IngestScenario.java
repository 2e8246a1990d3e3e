package io.orderpipeline.bench.ingest;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.http.BearerToken;
import io.orderpipeline.bench.http.HttpLoad;
import io.orderpipeline.bench.http.JsonScan;
import io.orderpipeline.bench.http.LoadResult;
import io.orderpipeline.bench.report.Plots;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.stack.Sleep;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 1: POST /orders. A closed loop finds the raw ceiling; then open-model steps search the highest fixed arrival
 * rate that holds the service level (errors < 0.1 %, p99 < 100 ms, latency measured from the intended send time);
 * then p50/p99/p99.9 at 25, 50 and 75 % of that rate.
 */
public final class IngestScenario {

    private static final Logger log = LoggerFactory.getLogger(IngestScenario.class);
    static final double MAX_ERROR_RATE = 0.001;
    static final double MAX_P99_MS = 100;

    private final BenchContext ctx;
    private final URI base;

    public IngestScenario(BenchContext ctx) {
        this.ctx = ctx;
        this.base = ctx.settings.ingestUrl();
    }

    /** Requests that POST valid orders; every accepted order id is remembered for the GET phases. */
    public HttpLoad.Spec post(String name, double rate, Duration duration) {
        HttpLoad.Requests requests =
                (endpoint, i) -> endpoint.postJson("/orders", ctx.orders.postBody("ingest", ctx.nextSeq()));
        HttpLoad.Spec spec = rate > 0
                ? HttpLoad.Spec.open(name, base, rate, duration, requests)
                : HttpLoad.Spec.closed(name, base, ctx.plan.closedConcurrency(), duration, requests);
        return spec.onOk((call, body, done) -> {
            String id = JsonScan.stringField(body, "orderId");
            if (id != null) {
                ctx.rememberOrder(id);
            }
        });
    }

    public void run() {
        warmUp();
        settle();
        LoadResult closed = HttpLoad.run(post("ingest closed loop", 0, ctx.plan.closedLoop()));
        ctx.ingestClosedMax = closed.achievedPerSecond();
        ctx.report.row(
                "1 ingest",
                "POST closed-loop max (" + ctx.plan.closedConcurrency() + " connections)",
                closed.achievedPerSecond(),
                "req/s",
                String.format(
                        "p50 %.1f ms, p99 %.1f ms, errors %.3f%%, generator CPU %.0f%% of a core",
                        closed.p50(),
                        closed.p99(),
                        100 * closed.errorRate(),
                        100 * closed.generatorCpuSeconds() / closed.seconds()));
        settle();
        trader(closed);
        settle();
        double sustained = search(closed.achievedPerSecond());
        ctx.ingestSustained = sustained;
        ctx.report.add(new Report.Row(
                "1 ingest",
                "POST max sustained rate (errors<0.1%, p99<100ms, open model)",
                sustained,
                "req/s",
                ctx.producerBaseline,
                "Kafka producer",
                true,
                "search steps of " + ctx.plan.searchStep().toSeconds() + " s"));
        if (Double.isNaN(sustained)) {
            ctx.report.note(String.format(
                    "ingest: no tested rate met the SLO; later phases use a quarter of the closed-loop max (%.0f/s)"
                            + " as half load",
                    ctx.halfLoad()));
            return;
        }
        for (int percent : new int[] {25, 50, 75}) {
            settle();
            double rate = sustained * percent / 100;
            LoadResult r = HttpLoad.run(post("ingest @" + percent + "%", rate, ctx.plan.level()));
            plot(rate, r);
            if (percent == 50) {
                Plots.distribution(ctx.report, String.format("POST /orders @%.0f/s", rate), r.histogram());
            }
            ctx.report.row(
                    "1 ingest",
                    String.format("POST @%d%% (%.0f/s) p50 / p99 / p99.9", percent, sustained * percent / 100),
                    r.p99(),
                    "ms p99",
                    String.format(
                            "p50 %.2f, p99 %.2f, p99.9 %.2f ms, max %.1f ms, errors %.3f%%",
                            r.p50(), r.p99(), r.p999(), r.max(), 100 * r.errorRate()));
        }
    }

    /**
     * The same closed loop as a normal principal ({@code BENCH_TRADER}, trader-1 for acc-1 and acc-2): the run's own
     * client is {@code ops} (orders:admin), whose token lets it act for the 2,000 accounts the load spreads over; a
     * trader's token is checked against its {@code accounts} claim on every POST. The ratio to the ops figure says
     * what that check costs beyond the token validation both pay. (The trader's orders land on at most two accounts,
     * so the processor rejects most of them on the notional limit; POST throughput is ingest's alone.)
     */
    private void trader(LoadResult asRunClient) {
        String[] parts = ctx.settings.trader().split(":", 3);
        if (parts.length < 3 || BearerToken.installedValue() == null) {
            ctx.report.note("ingest: no trader row (BENCH_TRADER is id:secret:accounts, and the run needs a token)");
            return;
        }
        BearerToken token;
        try {
            token = BearerToken.fetch(ctx.settings.issuerUrl(), parts[0] + ":" + parts[1], "orders:write orders:read");
        } catch (RuntimeException e) {
            ctx.report.note("ingest: no trader row: " + e.getMessage());
            return;
        }
        String[] accounts = parts[2].split(",");
        HttpLoad.Requests requests = (endpoint, i) -> {
            long seq = ctx.nextSeq();
            return endpoint.postJson(
                    "/orders",
                    ctx.orders.postBody(
                            "ingest-trader", seq, accounts[(int) Math.floorMod(seq, (long) accounts.length)]),
                    token);
        };
        LoadResult r = HttpLoad.run(HttpLoad.Spec.closed(
                "ingest closed loop as " + token.clientId(),
                base,
                ctx.plan.closedConcurrency(),
                ctx.plan.closedLoop(),
                requests));
        ctx.report.add(new Report.Row(
                "1 ingest",
                "POST closed-loop max as " + token.clientId() + " (accounts " + parts[2] + ")",
                r.achievedPerSecond(),
                "req/s",
                asRunClient.achievedPerSecond(),
                "same loop as " + BearerToken.installedClientId(),
                true,
                String.format("p50 %.1f ms, p99 %.1f ms, errors %.3f%%", r.p50(), r.p99(), 100 * r.errorRate())));
    }

    /**
     * Closed-loop rounds until throughput stops improving by more than 10 % (at most 5): a fresh JVM on 2 busy cores
     * needs tens of thousands of requests before C2 has compiled the request path, and a ceiling measured before
     * that is the JIT's, not the service's.
     */
    private void warmUp() {
        double last = 0;
        for (int round = 1; round <= 5; round++) {
            LoadResult r = HttpLoad.run(post("ingest warm-up " + round + " (closed)", 0, ctx.plan.warmup()));
            if (round > 1 && r.achievedPerSecond() < last * 1.1) {
                return;
            }
            last = r.achievedPerSecond();
        }
    }

    /**
     * Finds the highest passing rate: start just under the closed-loop ceiling, step down by 20 % until a step passes,
     * then (if the first step passed) up by 10 % until one fails. Bounded by {@code searchSteps}.
     */
    double search(double ceiling) {
        RateSearch search = new RateSearch(Math.max(10, ceiling * 0.9), ctx.plan.searchSteps());
        List<String> trace = new ArrayList<>();
        while (search.hasNext()) {
            double rate = search.next();
            LoadResult r = HttpLoad.run(post(String.format("ingest search %.0f/s", rate), rate, ctx.plan.searchStep()));
            boolean pass = r.errorRate() < MAX_ERROR_RATE && r.p99() < MAX_P99_MS;
            plot(rate, r);
            trace.add(String.format(
                    "%.0f/s %s (p99 %.1f ms, err %.2f%%)", rate, pass ? "ok" : "fail", r.p99(), 100 * r.errorRate()));
            search.result(pass);
            settle();
        }
        log.info("rate search: {}", trace);
        ctx.report.note("ingest rate search: " + String.join(", ", trace));
        return search.best();
    }

    /** p50/p90/p99 of an open-model run at {@code rate}, a point of the POST latency-against-load plot. */
    private void plot(double rate, LoadResult r) {
        ctx.report.point(Plots.POST_LATENCY, Plots.name(50), rate, r.p50());
        ctx.report.point(Plots.POST_LATENCY, Plots.name(90), rate, r.p90());
        ctx.report.point(Plots.POST_LATENCY, Plots.name(99), rate, r.p99());
    }

    /** Lets the pipeline catch up between steps, so one step's backlog does not weigh on the next. */
    private void settle() {
        Sleep.millis(2_000);
    }
}
