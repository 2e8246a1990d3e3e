package io.orderpipeline.bench.sustained;

/**
 * Whether a backlog grows over a window: the least-squares slope of evenly spaced samples (orders not yet done,
 * sampled once a second), times the window's length, against a tolerance. A pipeline that keeps up holds a backlog
 * of about rate × latency that wobbles with commits; one that falls behind adds (offered − capacity) orders every
 * second. The tolerance is what the latency budget allows: growth worth {@code budgetSeconds} of arrivals over the
 * window (at least {@code minOrders}), i.e. latency rising by that much from the start of the window to its end.
 */
final class BacklogTrend {

    private BacklogTrend() {}

    /** Least-squares slope of {@code samples} per sample interval (0 with fewer than two samples). */
    static double slope(long[] samples) {
        int n = samples.length;
        if (n < 2) {
            return 0;
        }
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (long s : samples) {
            meanY += s;
        }
        meanY /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - meanX) * (samples[i] - meanY);
            den += (i - meanX) * (i - meanX);
        }
        return num / den;
    }

    /** Growth over the window the samples span: slope × (samples − 1) intervals. */
    static double growth(long[] samples) {
        return samples.length < 2 ? 0 : slope(samples) * (samples.length - 1);
    }

    /** The growth a window may show before the backlog counts as growing. */
    static double tolerance(double ratePerSecond, double budgetSeconds, long minOrders) {
        return Math.max(minOrders, ratePerSecond * budgetSeconds);
    }

    /** True when the backlog grew by more than {@link #tolerance} over the window. */
    static boolean growing(long[] samples, double ratePerSecond, double budgetSeconds, long minOrders) {
        return growth(samples) > tolerance(ratePerSecond, budgetSeconds, minOrders);
    }
}
