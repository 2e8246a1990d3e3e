package io.orderpipeline.bench.http;

import java.util.Map;

/**
 * Outcome of one load run. Latencies in milliseconds; for open-model runs they are measured from each call's
 * intended start, for closed-loop runs from its actual start.
 *
 * @param offered calls per second offered (open model), or the concurrency (closed loop)
 * @param achievedPerSecond successful calls per second over the run
 * @param generatorCpuSeconds CPU time the load generator's JVM used during the run
 * @param histogram the latencies in microseconds (for the percentile plot)
 */
public record LoadResult(
        String name,
        boolean open,
        double offered,
        double seconds,
        long ok,
        long errors,
        double achievedPerSecond,
        double p50,
        double p90,
        double p99,
        double p999,
        double max,
        Map<String, Long> errorKinds,
        double generatorCpuSeconds,
        org.HdrHistogram.Histogram histogram) {

    public double errorRate() {
        long total = ok + errors;
        return total == 0 ? 0 : (double) errors / total;
    }

    static LoadResult of(
            String name, boolean open, double offered, double seconds, LatencyRecorder rec, double cpuSeconds) {
        return new LoadResult(
                name,
                open,
                offered,
                seconds,
                rec.ok(),
                rec.errorCount(),
                seconds <= 0 ? 0 : rec.ok() / seconds,
                rec.percentileMillis(50),
                rec.percentileMillis(90),
                rec.percentileMillis(99),
                rec.percentileMillis(99.9),
                rec.maxMillis(),
                rec.errors(),
                cpuSeconds,
                rec.histogram());
    }

    /** One line for the log. */
    public String summary() {
        return String.format(
                "%s: %s %.0f, %.1fs, ok=%d err=%d (%.3f%%) -> %.0f/s, p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.1fms,"
                        + " generator cpu %.1fs%s",
                name,
                open ? "rate" : "concurrency",
                offered,
                seconds,
                ok,
                errors,
                100 * errorRate(),
                achievedPerSecond,
                p50,
                p99,
                p999,
                max,
                generatorCpuSeconds,
                errorKinds.isEmpty() ? "" : " errors " + errorKinds);
    }
}
