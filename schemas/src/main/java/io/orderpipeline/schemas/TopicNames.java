package io.orderpipeline.schemas;

import java.util.Objects;

/**
 * Names of the pipeline's topics. Names are configuration; {@link #defaults()} are the documented defaults.
 *
 * @param commands order commands written by ingest-api (the only write path into the system)
 * @param retryPrefix prefix of the placement retry tiers, {@code <retryPrefix>.<tier>}
 * @param deadLetter exhausted or fatal placements ({@code orders.place.dlt}); records that cannot be deserialized or
 *     processed go to the stream-processor's own dead-letter queue ({@code orders.dlq})
 * @param events every state transition, once
 * @param state latest state per order (compacted)
 * @param instruments reference data (compacted)
 * @param executions the venue's execution reports, partitioned like {@code commands} (keyed by accountId)
 */
public record TopicNames(
        String commands,
        String retryPrefix,
        String deadLetter,
        String events,
        String state,
        String instruments,
        String executions) {

    public TopicNames {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(retryPrefix, "retryPrefix");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(instruments, "instruments");
        Objects.requireNonNull(executions, "executions");
    }

    public static TopicNames defaults() {
        return new TopicNames(
                "orders.commands",
                "orders.place.retry",
                "orders.place.dlt",
                "orders.events",
                "orders.state",
                "instruments",
                "orders.executions");
    }

    /** Name of retry tier {@code tier} (0-based), e.g. {@code orders.place.retry.0}. */
    public String retry(int tier) {
        if (tier < 0) {
            throw new IllegalArgumentException("tier must be >= 0: " + tier);
        }
        return retryPrefix + "." + tier;
    }
}
