package io.orderpipeline.processor.placement;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and when a failed placement is tried again.
 *
 * <p>After failed attempt {@code n} the next attempt is due after {@code min(maxBackoff, baseBackoff *
 * multiplier^(n-1))}, scaled by a jitter factor in {@code [1 - jitter, 1 + jitter]} (and capped at {@code maxBackoff}
 * again). The jitter is drawn deterministically from (seed, orderId, n), so a replay schedules the same instant and a
 * test can predict it. The attempt goes through retry tier {@code min(n - 1, tiers - 1)}: like Spring Kafka's retry
 * topics with the last tier reused for the remaining attempts.
 *
 * @param maxAttempts total attempts including the first ({@code >= 1})
 * @param tiers number of retry topics {@code orders.place.retry.0 .. tiers-1} ({@code >= 1})
 */
public record RetryPolicy(
        int maxAttempts,
        int tiers,
        Duration baseBackoff,
        double multiplier,
        double jitter,
        Duration maxBackoff,
        long seed) {

    public RetryPolicy {
        Objects.requireNonNull(baseBackoff, "baseBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        if (tiers < 1) {
            throw new IllegalArgumentException("tiers must be >= 1: " + tiers);
        }
        if (baseBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoffs must not be negative");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1.0: " + multiplier);
        }
        if (jitter < 0.0 || jitter >= 1.0) {
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
    }

    /** 5 attempts, 3 tiers, 250 ms doubling with 20% jitter, at most 10 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, 3, Duration.ofMillis(250), 2.0, 0.2, Duration.ofSeconds(10), 42L);
    }

    /** Whether attempt {@code attempt} was the last one allowed. */
    public boolean exhausted(int attempt) {
        return attempt >= maxAttempts;
    }

    /** The retry tier that carries the attempt after failed attempt {@code failedAttempt}. */
    public int tierAfter(int failedAttempt) {
        return Math.min(Math.max(failedAttempt, 1) - 1, tiers - 1);
    }

    /** The delay before the attempt that follows failed attempt {@code failedAttempt} of order {@code orderId}. */
    public Duration backoffAfter(String orderId, int failedAttempt) {
        double exponential = baseBackoff.toMillis() * Math.pow(multiplier, Math.max(failedAttempt, 1) - 1);
        double capped = Math.min(exponential, maxBackoff.toMillis());
        double factor = 1.0 + jitter * (2.0 * DeterministicRandom.unit(seed, orderId, failedAttempt) - 1.0);
        long millis = Math.round(Math.min(capped * factor, maxBackoff.toMillis()));
        return Duration.ofMillis(Math.max(millis, 0));
    }

    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(value, tiers, baseBackoff, multiplier, jitter, maxBackoff, seed);
    }

    public RetryPolicy withJitter(double value) {
        return new RetryPolicy(maxAttempts, tiers, baseBackoff, multiplier, value, maxBackoff, seed);
    }

    public RetryPolicy withBaseBackoff(Duration value) {
        return new RetryPolicy(maxAttempts, tiers, value, multiplier, jitter, maxBackoff, seed);
    }
}
