package io.orderpipeline.bench.sustained;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a step of a sustained-rate search holds: request errors below {@code maxRequestErrorRate}, every accepted
 * order done within the step's grace, order latency p99 at most {@code maxP99Millis}, and a backlog that does not
 * grow over the window ({@link BacklogTrend}, tolerance {@code growthBudgetSeconds} of arrivals, at least {@code
 * minGrowthOrders}).
 */
record Slo(double maxRequestErrorRate, double maxP99Millis, double growthBudgetSeconds, long minGrowthOrders) {

    /** Why {@code step} did not hold, or an empty list when it did. */
    List<String> violations(SustainedStep.Result step) {
        List<String> why = new ArrayList<>();
        if (step.accepted() == 0) {
            why.add("no order accepted");
            return why;
        }
        if (step.requests().errorRate() >= maxRequestErrorRate) {
            why.add(String.format(
                    Locale.ROOT,
                    "request errors %.2f%% %s",
                    100 * step.requests().errorRate(),
                    step.requests().errors()));
        }
        if (step.notDone() > 0) {
            why.add(step.notDone() + " of " + step.accepted() + " orders not done");
        }
        double p99 = step.latency().percentileMillis(99);
        if (!(p99 <= maxP99Millis)) {
            why.add(String.format(Locale.ROOT, "p99 %.0f ms > %.0f ms", p99, maxP99Millis));
        }
        double tolerance = BacklogTrend.tolerance(step.spec().ordersPerSecond(), growthBudgetSeconds, minGrowthOrders);
        if (step.backlogGrowth() > tolerance) {
            why.add(String.format(
                    Locale.ROOT,
                    "backlog grew by %.0f orders over %d s (tolerance %.0f)",
                    step.backlogGrowth(),
                    step.spec().window().toSeconds(),
                    tolerance));
        }
        return why;
    }
}
