package io.orderpipeline.ingest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of ingest-api under {@code orders.ingest}. Every value has a default, so the service runs with no
 * configuration.
 *
 * @param instanceId this instance's name, stable across its restarts; the transactional ids of its committers are
 *     {@code ingest-api-<instanceId>-<i>}, so that a restarted instance fences its predecessor at once: its first
 *     {@code initTransactions} aborts whatever transaction the crashed predecessor left open, instead of {@code
 *     read_committed} readers waiting {@code producer.transaction-timeout} for the coordinator to do it. Empty (the
 *     default) = {@code <host name>-<server.port>}, stable as long as the instance keeps its host name and port. With
 *     {@code server.port=0} (a random port) nothing stable is left to derive it from: the service then uses a random
 *     one per start and logs a warning. Set it explicitly where the host name changes on restart (a Kubernetes
 *     Deployment; a StatefulSet's pod name is stable). Two live instances must never share one: they would fence
 *     each other
 * @param limits what the edge accepts
 * @param producer how long a request may wait for Kafka before it is answered {@code 503}
 * @param idempotency the {@code Idempotency-Key} store
 * @param batch {@code POST /orders/batch}
 */
@Validated
@ConfigurationProperties("orders.ingest")
public record IngestSettings(
        @NotNull @DefaultValue("") String instanceId,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Producer producer,
        @Valid @NotNull @DefaultValue Idempotency idempotency,
        @Valid @NotNull @DefaultValue Batch batch) {

    /**
     * Input limits.
     *
     * @param maxBodySize larger bodies are answered {@code 413} without being read further
     * @param maxQuantity largest accepted quantity (anything above is "absurd")
     * @param maxPrice largest accepted price (must fit {@code decimal(18,6)})
     * @param maxIdLength longest accountId / clientOrderId
     * @param maxSymbolLength longest symbol
     * @param rejectUnknownFields whether a field outside the wire contract is a {@code 400} (default) or ignored
     */
    public record Limits(
            @NotNull @DefaultValue("16KB") DataSize maxBodySize,
            @Min(1) @DefaultValue("1000000") long maxQuantity,
            @NotNull @DefaultValue("1000000000") BigDecimal maxPrice,
            @Min(1) @Max(1024) @DefaultValue("64") int maxIdLength,
            @Min(1) @Max(64) @DefaultValue("16") int maxSymbolLength,
            @DefaultValue("true") boolean rejectUnknownFields) {}

    /**
     * The transactional command producer and its bounds, so that a missing or slow broker turns into a {@code 503}
     * within {@link #bound()} rather than a hung request.
     *
     * @param maxBlock how long a request may wait in the queue for a transaction (including the time its committer
     *     needs to get a producer ready), and {@code max.block.ms} of the producer's blocking calls (metadata,
     *     init/commit/abort)
     * @param requestTimeout {@code request.timeout.ms}: one produce request
     * @param deliveryTimeout {@code delivery.timeout.ms}: sending one batch including retries, and how long a
     *     transaction waits for the acknowledgements of its records before its requests are answered {@code 503};
     *     must be at least {@code linger + requestTimeout}
     * @param commitTimeout how long the commit may go unconfirmed before the request is answered "outcome unknown"
     * @param linger {@code linger.ms}
     * @param retryAfter value of the {@code Retry-After} header on {@code 503}
     * @param transactionalId {@code transactional.id} prefix (committer {@code i} uses {@code <prefix>-<i>}); empty
     *     (the default) = {@code ingest-api-<instance-id>}, see {@link IngestSettings#instanceId()}. Must be stable per
     *     instance and unique among live instances
     * @param transactionTimeout {@code transaction.timeout.ms}: how long an abandoned transaction can hold back
     *     {@code read_committed} consumers when no successor with the same transactional id starts (an instance that
     *     crashed and is not restarted, or one whose id was random)
     * @param maxBatch most records in one transaction
     * @param maxQueued most requests waiting for a transaction (split evenly over the committers); beyond that,
     *     {@code 503} at once
     * @param committers transactional producers committing side by side; commands of one order always use the same
     */
    public record Producer(
            @NotNull @DefaultValue("1s") Duration maxBlock,
            @NotNull @DefaultValue("2s") Duration requestTimeout,
            @NotNull @DefaultValue("5s") Duration deliveryTimeout,
            @NotNull @DefaultValue("3s") Duration commitTimeout,
            @NotNull @DefaultValue("0ms") Duration linger,
            @NotNull @DefaultValue("2s") Duration retryAfter,
            @NotNull @DefaultValue("") String transactionalId,
            @NotNull @DefaultValue("10s") Duration transactionTimeout,
            @Min(1) @DefaultValue("1000") int maxBatch,
            @Min(1) @DefaultValue("10000") int maxQueued,
            @Min(1) @Max(16) @DefaultValue("2") int committers) {

        /**
         * Longest time a request can wait for the command log's verdict: {@code max-block} in the queue (a committer
         * takes a request only once its producer is ready), {@code delivery-timeout} for the acknowledgements of its
         * transaction's records, {@code commit-timeout} for the commit. Only the {@code outcome-unknown} 503 (every
         * record acknowledged, then the broker lost during the commit) can take this long.
         */
        public Duration bound() {
            return maxBlock.plus(deliveryTimeout).plus(commitTimeout);
        }

        /**
         * Longest time a request waits for its {@code 503} while the broker is unreachable (stopped, partitioned,
         * paused): no transaction reaches its commit then, so the commit phase never adds to it. The first request on
         * an idle committer waits {@code delivery-timeout} for acknowledgements that do not come (default 5 s);
         * requests queued behind it, or arriving once the committer knows the broker is gone, wait {@code max-block}
         * (default 1 s); a request taken into a transaction just after waiting in the queue waits for both (default
         * 6 s, the worst case). A keyed PLACE first needs the idempotency store, which gives up after {@code
         * orders.ingest.idempotency.catch-up-timeout} (default 2 s).
         */
        public Duration unreachableBound() {
            return maxBlock.plus(deliveryTimeout);
        }
    }

    /**
     * The {@code Idempotency-Key} store (a compacted topic read by every instance).
     *
     * @param retention how long a key is remembered (also the topic's {@code retention.ms})
     * @param maxKeyLength longest accepted key
     * @param catchUpTimeout how long a keyed request waits for the store to finish loading before a {@code 503}
     */
    public record Idempotency(
            @NotNull @DefaultValue("24h") Duration retention,
            @Min(1) @Max(1024) @DefaultValue("255") int maxKeyLength,
            @NotNull @DefaultValue("2s") Duration catchUpTimeout) {}

    /**
     * {@code POST /orders/batch}: many orders in one request and one Kafka transaction.
     *
     * @param maxItems most orders in one batch; more is a {@code 413} and nothing is written
     * @param maxBodySize the body limit of a batch request (instead of {@code limits.max-body-size}); 1 MB holds 1,000
     *     orders of the largest valid size
     */
    public record Batch(
            @Min(1) @Max(10000) @DefaultValue("1000") int maxItems,
            @NotNull @DefaultValue("1MB") DataSize maxBodySize) {}
}
