package io.orderpipeline.shared;

import io.orderpipeline.schemas.TopicNames;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Topic names and sizing under {@code orders.topics}: the one declaration every service binds. Each topic is
 * <em>created</em> by the service that owns it (see {@code docs/ARCHITECTURE.md}, "Topics"), with {@link #partitions}
 * and {@link #replicationFactor}; the names are shared so that a renamed topic is renamed everywhere.
 *
 * @param commands order commands (ingest-api writes, stream-processor reads)
 * @param retryPrefix prefix of the placement retry tiers, {@code <retryPrefix>.<tier>}
 * @param deadLetter exhausted or fatal placements
 * @param deadLetterQueue the stream-processor's dead-letter queue: input records it could not deserialize or process
 *     (raw bytes with Kafka Streams' {@code __streams.errors.*} headers); operators list and re-drive them
 * @param events every state transition
 * @param state latest state per order (compacted)
 * @param instruments reference data (compacted)
 * @param executions the venue's execution reports (the processors' venue connectivity writes, the topology reads)
 * @param idempotency ingest-api's {@code Idempotency-Key} records (compacted)
 * @param redrives ingest-api's marks of re-driven dead letters, one per dead-letter ref (compacted)
 * @param partitions partitions of every topic a service creates
 * @param replicationFactor replication factor of every topic a service creates
 */
@Validated
@ConfigurationProperties("orders.topics")
public record TopicSettings(
        @NotBlank @DefaultValue("orders.commands") String commands,
        @NotBlank @DefaultValue("orders.place.retry") String retryPrefix,
        @NotBlank @DefaultValue("orders.place.dlt") String deadLetter,
        @NotBlank @DefaultValue("orders.dlq") String deadLetterQueue,
        @NotBlank @DefaultValue("orders.events") String events,
        @NotBlank @DefaultValue("orders.state") String state,
        @NotBlank @DefaultValue("instruments") String instruments,
        @NotBlank @DefaultValue("orders.executions") String executions,
        @NotBlank @DefaultValue("orders.idempotency") String idempotency,
        @NotBlank @DefaultValue("orders.redrives") String redrives,
        @Min(1) @DefaultValue("3") int partitions,
        @Min(1) @DefaultValue("1") short replicationFactor) {

    public TopicNames names() {
        return new TopicNames(commands, retryPrefix, deadLetter, events, state, instruments, executions);
    }

    /** The declaration of topic {@code name}: {@link #partitions} partitions, {@link #replicationFactor} replicas. */
    public NewTopic topic(String name) {
        return new NewTopic(name, partitions, replicationFactor);
    }

    /**
     * The declaration of a compacted topic (latest record per key: {@code orders.state}, {@code instruments}), sized
     * as {@link #topic(String)}; every service that declares one declares it the same way.
     */
    public NewTopic compacted(String name) {
        return topic(name).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
}
