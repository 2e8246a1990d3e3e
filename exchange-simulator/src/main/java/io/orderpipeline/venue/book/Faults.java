package io.orderpipeline.venue.book;

/**
 * The venue's injected faults, as a value ({@code orders.venue.faults.*} at start, {@code PUT /admin/faults} at run
 * time).
 *
 * @param failureRate share of new orders refused with OrdRejReason 2 "exchange closed" (retryable; the ClOrdID stays
 *     free, so a retry may succeed)
 * @param rejectRate share of new orders rejected for good (OrdRejReason 99; the ClOrdID is used up)
 * @param latencyMs delay before every answer (other sessions and orders keep flowing)
 * @param outage logons refused and sessions dropped until healed; orders that still arrive are refused as with the
 *     failure rate
 */
public record Faults(double failureRate, double rejectRate, long latencyMs, boolean outage) {

    public static final Faults NONE = new Faults(0, 0, 0, false);

    public Faults {
        if (failureRate < 0 || failureRate > 1 || rejectRate < 0 || rejectRate > 1) {
            throw new IllegalArgumentException("rates are between 0 and 1");
        }
        if (latencyMs < 0) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
    }

    /** A partial update: the non-null values replace this one's. */
    public Faults with(Double failureRate, Double rejectRate, Long latencyMs, Boolean outage) {
        return new Faults(
                failureRate == null ? this.failureRate : failureRate,
                rejectRate == null ? this.rejectRate : rejectRate,
                latencyMs == null ? this.latencyMs : latencyMs,
                outage == null ? this.outage : outage);
    }
}
