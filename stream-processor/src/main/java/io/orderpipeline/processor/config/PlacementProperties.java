package io.orderpipeline.processor.config;

import io.orderpipeline.processor.placement.RetryPolicy;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Placement retries under {@code orders.placement}. With the defaults an order that keeps failing is tried 5 times,
 * after about 0.25, 0.5, 1 and 2 s (each +/-20%), via {@code orders.place.retry.0}, {@code .1}, {@code .2}, {@code .2},
 * and then ends FAILED on the DLT roughly 4 s after it arrived.
 *
 * @param maxAttempts attempts including the first
 * @param tiers retry topics {@code <retry-prefix>.0 .. tiers-1}; later attempts reuse the last
 * @param baseBackoff delay after the first failed attempt
 * @param multiplier growth of the delay per attempt
 * @param jitter relative spread of each delay, 0.0-&lt;1.0
 * @param maxBackoff cap of one delay
 * @param seed seed of the deterministic jitter
 * @param timeout an attempt without answer after this long counts as a transient failure
 * @param schedulerInterval how often (wall clock) due retries and exchange answers are picked up
 * @param maxDuePerRun most attempts started by one scheduler run per partition
 */
@Validated
@ConfigurationProperties("orders.placement")
public record PlacementProperties(
        @Min(1) @DefaultValue("5") int maxAttempts,
        @Min(1) @DefaultValue("3") int tiers,
        @NotNull @DefaultValue("250ms") Duration baseBackoff,
        @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,

        @DecimalMin("0.0") @DecimalMax(value = "1.0", inclusive = false) @DefaultValue("0.2")
        double jitter,

        @NotNull @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("42") long seed,
        @NotNull @DefaultValue("5s") Duration timeout,
        @NotNull @DefaultValue("50ms") Duration schedulerInterval,
        @Min(1) @DefaultValue("1000") int maxDuePerRun) {

    RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, tiers, baseBackoff, multiplier, jitter, maxBackoff, seed);
    }
}
