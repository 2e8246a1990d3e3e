package io.orderpipeline.processor.config;

import io.orderpipeline.processor.topology.TopologySettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * stream-processor's own topics under {@code orders.processor}: only this service reads or writes them, so they are
 * declared here and not among the shared {@code orders.topics.*} ({@link io.orderpipeline.shared.TopicSettings}).
 * Kafka Streams itself is configured with Spring Boot's {@code spring.kafka.streams.*} (application id {@code
 * order-processor}, state dir, any {@code properties.*}).
 *
 * @param deadLetterQueueTopic poison records of any input (raw bytes with Kafka Streams' {@code __streams.errors.*}
 *     headers); placements that failed for good go to {@code orders.topics.dead-letter} instead
 * @param stateStores {@code persistent} (RocksDB, default) or {@code in-memory}; both are changelogged
 * @param instanceId a name of this instance that survives its restarts; it makes the instance a static member of the
 *     consumer group (see {@link StaticMembership}); empty: derived from the host name and {@code server.port}
 */
@Validated
@ConfigurationProperties("orders.processor")
public record ProcessorProperties(
        @NotBlank @DefaultValue("orders.dlq") String deadLetterQueueTopic,
        @NotNull @DefaultValue("persistent") TopologySettings.StoreType stateStores,
        @NotNull @DefaultValue("") String instanceId) {}
