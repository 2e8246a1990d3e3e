package io.orderpipeline.bench.sustained;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.stack.Sleep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link BracketSearch} with {@link SustainedStep}s judged by a {@link Slo}, letting the pipeline go quiet between steps. */
final class Searches {

    private static final Logger log = LoggerFactory.getLogger(Searches.class);
    /** Records (and transaction markers) {@code orders.state} may take in 2 s and still count as quiet. */
    private static final long QUIET_RECORDS = 20;

    /** What a search found: the best step, the lowest failing step and why it failed, one trace entry per step. */
    record Outcome(
            SustainedStep.Result best, SustainedStep.Result lowestFail, List<String> whyFailed, List<String> trace) {

        /** The note of the result row. */
        String describe() {
            StringBuilder note = new StringBuilder();
            if (best == null) {
                note.append("no tested rate held");
            } else {
                note.append(String.format(
                        Locale.ROOT,
                        "at %.0f/s: p50 %.1f ms, p99 %.1f ms, request p99 %.1f ms, %d orders, backlog growth %.0f",
                        best.spec().ordersPerSecond(),
                        best.latency().percentileMillis(50),
                        best.latency().percentileMillis(99),
                        best.requests().percentileMillis(99),
                        best.accepted(),
                        best.backlogGrowth()));
            }
            if (lowestFail != null) {
                note.append(String.format(
                        Locale.ROOT,
                        "; %.0f/s failed: %s",
                        lowestFail.spec().ordersPerSecond(),
                        String.join(", ", whyFailed)));
            } else if (best != null) {
                // every step held: the figure is what the step budget reached, not where the pipeline gives up
                note.append("; no tested rate failed: a lower bound");
            }
            return note.append("; ").append(trace.size()).append(" steps").toString();
        }
    }

    private Searches() {}

    static Outcome run(
            BenchContext ctx,
            BracketSearch search,
            Slo slo,
            DoubleFunction<SustainedStep.Spec> spec,
            Consumer<SustainedStep.Result> eachStep) {
        SustainedStep.Result best = null;
        SustainedStep.Result lowestFail = null;
        List<String> whyFailed = List.of();
        List<String> trace = new ArrayList<>();
        while (search.hasNext()) {
            double rate = search.next();
            SustainedStep.Result step = SustainedStep.run(ctx, spec.apply(rate));
            List<String> why = slo.violations(step);
            boolean pass = why.isEmpty();
            eachStep.accept(step);
            trace.add(String.format(
                    Locale.ROOT,
                    "%.0f/s %s (p99 %.1f ms, backlog growth %.0f%s)",
                    rate,
                    pass ? "ok" : "fail",
                    step.latency().percentileMillis(99),
                    step.backlogGrowth(),
                    pass ? "" : "; " + String.join(", ", why)));
            if (pass && (best == null || rate > best.spec().ordersPerSecond())) {
                best = step;
            }
            if (!pass && (lowestFail == null || rate < lowestFail.spec().ordersPerSecond())) {
                lowestFail = step;
                whyFailed = why;
            }
            search.result(pass);
            awaitQuiet(ctx);
        }
        log.info("sustained-rate search: {}", trace);
        return new Outcome(best, lowestFail, whyFailed, trace);
    }

    /**
     * Waits (up to 30 s) until {@code orders.state} takes at most a handful of records in 2 s: a failed step's
     * backlog must not weigh on the next step.
     */
    static void awaitQuiet(BenchContext ctx) {
        String topic = ctx.topics.state().name();
        long deadline = System.nanoTime() + 30_000_000_000L;
        long[] window = {ctx.kafka.endOffsetSum(topic), System.nanoTime()};
        while (System.nanoTime() < deadline) {
            Sleep.millis(500);
            long now = ctx.kafka.endOffsetSum(topic);
            if (now - window[0] > QUIET_RECORDS) {
                window[0] = now;
                window[1] = System.nanoTime();
            } else if (System.nanoTime() - window[1] >= 2_000_000_000L) {
                return;
            }
        }
        log.warn("{} still taking records after 30 s; the next step starts anyway", topic);
    }
}
