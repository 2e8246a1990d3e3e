package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.account.AccountLimits;
import io.orderpipeline.processor.placement.RetryPolicy;
import io.orderpipeline.processor.validation.ValidationRules;
import io.orderpipeline.schemas.TopicNames;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@link OrderTopology} needs to know besides its collaborators. Plain values, no Spring: the application
 * builds it from its properties, a test from {@link #defaults()} and the withers.
 *
 * @param topics the pipeline's shared topic names
 * @param retry attempts, tiers and backoff of placements
 * @param placementTimeout how long an attempt may stay unanswered before it counts as a transient failure
 * @param schedulerInterval how often (wall-clock) due retries and finished exchange calls are picked up
 * @param maxDuePerRun how many due attempts one punctuation starts at most (the rest wait for the next one)
 * @param validation limits that hold for every instrument
 * @param accounts per-account open-notional limits
 * @param stores where the state stores keep their data (both are changelogged)
 */
public record TopologySettings(
        TopicNames topics,
        RetryPolicy retry,
        Duration placementTimeout,
        Duration schedulerInterval,
        int maxDuePerRun,
        ValidationRules validation,
        AccountLimits accounts,
        StoreType stores) {

    /** Where state stores keep their data. Both kinds are backed by changelog topics and restored from them. */
    public enum StoreType {
        /** RocksDB on local disk: state larger than memory, fast restarts from the local copy. The default. */
        PERSISTENT,
        /** On the heap: faster, restored from the changelog on every start. */
        IN_MEMORY
    }

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(placementTimeout, "placementTimeout");
        Objects.requireNonNull(schedulerInterval, "schedulerInterval");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(stores, "stores");
        if (placementTimeout.isNegative() || placementTimeout.isZero()) {
            throw new IllegalArgumentException("placementTimeout must be positive");
        }
        if (schedulerInterval.isNegative() || schedulerInterval.isZero()) {
            throw new IllegalArgumentException("schedulerInterval must be positive");
        }
        if (maxDuePerRun < 1) {
            throw new IllegalArgumentException("maxDuePerRun must be >= 1");
        }
    }

    /** The documented defaults. */
    public static TopologySettings defaults() {
        return new TopologySettings(
                TopicNames.defaults(),
                RetryPolicy.defaults(),
                Duration.ofSeconds(5),
                Duration.ofMillis(50),
                1000,
                ValidationRules.defaults(),
                AccountLimits.defaults(),
                StoreType.PERSISTENT);
    }

    public TopologySettings withRetry(RetryPolicy value) {
        return new TopologySettings(
                topics, value, placementTimeout, schedulerInterval, maxDuePerRun, validation, accounts, stores);
    }

    public TopologySettings withPlacementTimeout(Duration value) {
        return new TopologySettings(
                topics, retry, value, schedulerInterval, maxDuePerRun, validation, accounts, stores);
    }

    public TopologySettings withValidation(ValidationRules value) {
        return new TopologySettings(
                topics, retry, placementTimeout, schedulerInterval, maxDuePerRun, value, accounts, stores);
    }

    public TopologySettings withAccounts(AccountLimits value) {
        return new TopologySettings(
                topics, retry, placementTimeout, schedulerInterval, maxDuePerRun, validation, value, stores);
    }

    public TopologySettings withStores(StoreType value) {
        return new TopologySettings(
                topics, retry, placementTimeout, schedulerInterval, maxDuePerRun, validation, accounts, value);
    }
}
