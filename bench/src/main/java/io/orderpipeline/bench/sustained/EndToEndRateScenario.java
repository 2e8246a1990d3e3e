package io.orderpipeline.bench.sustained;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.report.Plots;
import io.orderpipeline.bench.report.Report;

/**
 * Figure 2, maximum sustained end-to-end rate: the highest rate of {@code POST /orders} at which every accepted order
 * is pushed as PLACED on STOMP {@code /topic/orders}, push p99 (from the intended send time) is at most 250 ms, POST
 * errors stay below 0.1 %, and the number of orders accepted but not yet pushed does not grow over the window (30 s
 * in the full run). Found with a {@link BracketSearch} from the half-load rate; every step is also a point of the
 * e2e latency-against-load plot.
 */
public final class EndToEndRateScenario {

    static final Slo SLO = new Slo(0.001, 250, 0.25, 100);

    private final BenchContext ctx;

    public EndToEndRateScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    public void run() {
        double start = ctx.e2eRate();
        double ceiling = Double.isNaN(ctx.ingestClosedMax) ? start * 4 : Math.max(start * 1.1, ctx.ingestClosedMax);
        BracketSearch search = new BracketSearch(start, 10, ceiling, 1.5, 0.6, 1.1, ctx.plan.sustainSteps());
        Searches.Outcome outcome = Searches.run(
                ctx,
                search,
                SLO,
                rate -> new SustainedStep.Spec(
                        "e2emax-" + Math.round(rate),
                        rate,
                        1,
                        ctx.plan.sustainRamp(),
                        ctx.plan.sustainWindow(),
                        ctx.plan.sustainGrace(),
                        SustainedStep.Outcome.STOMP_PLACED),
                step -> Plots.loadPoint(
                        ctx.report,
                        Plots.E2E_LATENCY,
                        step.spec().ordersPerSecond(),
                        step.latency().histogram()));
        ctx.e2eSustained = search.best();
        ctx.report.add(new Report.Row(
                "2 e2e",
                "max sustained POST -> STOMP PLACED rate (every order pushed, push p99 <= 250 ms, backlog not growing"
                        + " over " + ctx.plan.sustainWindow().toSeconds() + " s)",
                search.best(),
                "orders/s",
                Double.isNaN(ctx.ingestSustained) ? null : ctx.ingestSustained,
                "POST max sustained",
                true,
                outcome.describe()));
        ctx.report.note("e2e sustained-rate search: " + String.join(", ", outcome.trace()));
    }
}
