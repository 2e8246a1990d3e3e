package io.orderpipeline.query.view;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The read side's Kafka Streams application and its queries ({@code orders.query.*}).
 *
 * @param applicationId Streams {@code application.id}; distinct from the stream-processor's, shared by all query
 *     instances (they split the partitions)
 * @param advertisedHost host other instances use to reach this one ({@code application.server} is
 *     {@code advertisedHost:<actual HTTP port>})
 * @param stateDir Streams state directory; blank means {@code <java.io.tmpdir>/order-pipeline/query-ws-service-<port>}
 * @param standbyReplicas {@code num.standby.replicas}: warm copies that answer while the active copy moves
 * @param streamThreads {@code num.stream.threads}
 * @param persistentStores RocksDB (true) or in-memory stores
 * @param rocksdbMemory off-heap memory shared by all RocksDB stores of this JVM (block cache and memtables)
 * @param peerTimeout how long a forwarded query may take before the next copy is tried
 * @param unavailableGrace how long a query keeps retrying (every 100 ms, with fresh metadata) while no copy of a
 *     partition answers — a task moving between instances is unqueryable for a moment — before answering 503
 * @param retryAfter the {@code Retry-After} sent with a 503 when no copy of a store answers
 * @param defaultPageSize page size when {@code limit} is absent
 * @param maxPageSize largest {@code limit}
 * @param maxOffset largest {@code offset} (offset paging costs offset + limit; use cursors beyond)
 * @param longPoll limits of {@code GET /orders/{id}?waitForVersion=…}
 * @param streams further Kafka Streams properties, passed through as they are
 */
@Validated
@ConfigurationProperties("orders.query")
public record QueryProperties(
        @DefaultValue("order-query") @NotBlank String applicationId,
        @DefaultValue("127.0.0.1") @NotBlank String advertisedHost,
        @DefaultValue("") String stateDir,
        @DefaultValue("1") @Min(0) int standbyReplicas,
        @DefaultValue("1") @Min(1) int streamThreads,
        @DefaultValue("true") boolean persistentStores,
        @DefaultValue("64MB") @NotNull org.springframework.util.unit.DataSize rocksdbMemory,
        @DefaultValue("2s") @NotNull Duration peerTimeout,
        @DefaultValue("1s") @NotNull Duration retryAfter,
        @DefaultValue("1s") @NotNull Duration unavailableGrace,
        @DefaultValue("20") @Min(1) int defaultPageSize,
        @DefaultValue("500") @Min(1) @Max(10_000) int maxPageSize,
        @DefaultValue("10000") @Min(0) int maxOffset,
        @DefaultValue @NotNull LongPoll longPoll,
        @DefaultValue Map<String, String> streams) {

    public QueryProperties {
        streams = streams == null ? Map.of() : Map.copyOf(streams);
    }

    /**
     * @param defaultTimeout wait when {@code timeout} is absent
     * @param maxTimeout longest accepted {@code timeout}
     * @param maxWaiters waiting requests per instance; beyond, 503 with Retry-After
     * @param maxWaitersPerOrder waiting requests for one order; beyond, 503 with Retry-After
     */
    public record LongPoll(
            @DefaultValue("30s") @NotNull Duration defaultTimeout,
            @DefaultValue("120s") @NotNull Duration maxTimeout,
            @DefaultValue("10000") @Min(1) int maxWaiters,
            @DefaultValue("1000") @Min(1) int maxWaitersPerOrder) {}
}
