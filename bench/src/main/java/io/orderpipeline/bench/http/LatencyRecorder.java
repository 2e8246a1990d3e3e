package io.orderpipeline.bench.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latencies (HdrHistogram, microseconds, 3 significant digits, up to 2 minutes) and outcomes of one measured run.
 * Not thread-safe: fed from one loop thread, or guarded by the caller.
 */
public final class LatencyRecorder {

    private final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    private final Map<String, Long> errors = new TreeMap<>();
    private long ok;
    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;

    /** A successful call that took {@code latencyNanos} and ended at {@code doneNanos}. */
    public void ok(long latencyNanos, long doneNanos) {
        histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), Math.max(0, latencyNanos / 1000)));
        ok++;
        seen(doneNanos);
    }

    /** A failed call: an unexpected status ("http 503") or a transport failure ("timeout"). */
    public void error(String kind, long doneNanos) {
        errors.merge(kind, 1L, Long::sum);
        seen(doneNanos);
    }

    private void seen(long doneNanos) {
        firstNanos = Math.min(firstNanos, doneNanos);
        lastNanos = Math.max(lastNanos, doneNanos);
    }

    public long ok() {
        return ok;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> errors() {
        return Map.copyOf(errors);
    }

    /** Fraction of calls that failed (0 when there were none). */
    public double errorRate() {
        long total = ok + errorCount();
        return total == 0 ? 0 : (double) errorCount() / total;
    }

    /** Percentile in milliseconds, e.g. {@code percentileMillis(99.9)}. */
    public double percentileMillis(double percentile) {
        return ok == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMillis() {
        return ok == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    public Histogram histogram() {
        return histogram;
    }

    public void add(LatencyRecorder other) {
        histogram.add(other.histogram);
        other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
        ok += other.ok;
        firstNanos = Math.min(firstNanos, other.firstNanos);
        lastNanos = Math.max(lastNanos, other.lastNanos);
    }
}
