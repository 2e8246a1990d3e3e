package io.orderpipeline.shared;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for loops that recover by themselves: each {@link #next()} doubles the pause up to
 * the maximum and draws it from [pause/2, pause], so that instances that failed together do not retry together;
 * {@link #reset()} after a success. Not thread-safe: one per loop.
 */
public final class Backoff {

    private final long firstNanos;
    private final long maxNanos;
    private long currentNanos;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max: " + first + ", " + max);
        }
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
        this.currentNanos = 0;
    }

    /** The next pause: the first, then doubling up to the maximum, with jitter. */
    public Duration next() {
        currentNanos = currentNanos == 0 ? firstNanos : Math.min(maxNanos, currentNanos * 2);
        long half = currentNanos / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** After a success: the next pause is the first again. */
    public void reset() {
        currentNanos = 0;
    }
}
