package io.orderpipeline.bench.query;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.http.HttpLoad;
import io.orderpipeline.bench.http.LatencyRecorder;
import io.orderpipeline.bench.http.LoadResult;
import io.orderpipeline.bench.http.MixedLoad;
import java.util.List;
import java.util.Map;

/**
 * Figure 4, first half: GET /orders/{id} and a GET /orders page while POSTs run at half load (open model, latency
 * from intended send time), and the closed-loop ceiling of GET /orders/{id} alone.
 */
public final class QueryScenario {

    private final BenchContext ctx;

    public QueryScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    public void run() {
        List<String> ids = ctx.knownOrders();
        if (ids.isEmpty()) {
            ctx.report.note("query: no known orders (ingest/e2e phases skipped?); GET by id not measured");
            return;
        }
        double postRate = ctx.halfLoad();
        double getRate = Math.max(50, Math.min(1000, postRate));
        double pageRate = 20;
        Map<String, LatencyRecorder> r = new MixedLoad()
                .add(new MixedLoad.Stream(
                        "post",
                        ctx.settings.ingestUrl(),
                        postRate,
                        256,
                        (e, seq) -> e.postJson("/orders", ctx.orders.postBody("query", ctx.nextSeq())),
                        s -> s / 100 == 2))
                .add(new MixedLoad.Stream(
                        "get",
                        ctx.settings.queryUrl(),
                        getRate,
                        128,
                        (e, seq) -> e.get("/orders/" + ids.get((int) Math.floorMod(seq * 7919, (long) ids.size()))),
                        s -> s == 200))
                .add(new MixedLoad.Stream(
                        "page",
                        ctx.settings.queryUrl(),
                        pageRate,
                        16,
                        (e, seq) -> e.get("/orders?limit=20"),
                        s -> s == 200))
                .run(ctx.plan.queryLoad());
        LatencyRecorder get = r.get("get");
        LatencyRecorder page = r.get("page");
        ctx.report.row(
                "4 query",
                String.format("GET /orders/{id} p99 @%.0f/s with POST @%.0f/s", getRate, postRate),
                get.percentileMillis(99),
                "ms",
                String.format(
                        "p50 %.2f ms, p99.9 %.2f ms, errors %.3f%% %s",
                        get.percentileMillis(50), get.percentileMillis(99.9), 100 * get.errorRate(), get.errors()));
        ctx.report.row(
                "4 query",
                String.format("GET /orders?limit=20 p99 @%.0f/s with POST @%.0f/s", pageRate, postRate),
                page.percentileMillis(99),
                "ms",
                String.format(
                        "p50 %.2f ms, errors %.3f%% %s",
                        page.percentileMillis(50), 100 * page.errorRate(), page.errors()));
        LoadResult closed = HttpLoad.run(HttpLoad.Spec.closed(
                        "GET by id closed loop",
                        ctx.settings.queryUrl(),
                        32,
                        ctx.plan.queryLoad(),
                        (e, seq) -> e.get("/orders/" + ids.get((int) Math.floorMod(seq * 7919, (long) ids.size()))))
                .okStatus(s -> s == 200));
        ctx.report.row(
                "4 query",
                "GET /orders/{id} closed-loop max (32 connections)",
                closed.achievedPerSecond(),
                "req/s",
                String.format(
                        "p50 %.2f ms, p99 %.2f ms, errors %.3f%%",
                        closed.p50(), closed.p99(), 100 * closed.errorRate()));
    }
}
