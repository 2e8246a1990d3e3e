package io.orderpipeline.processor.config;

import io.orderpipeline.processor.topology.TopologySettings;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * stream-processor's own settings under {@code orders.processor}; its topics, the dead-letter queue ({@code
 * orders.topics.dead-letter-queue}) included, are the shared {@code orders.topics.*} ({@link
 * io.orderpipeline.shared.TopicSettings}), since operators' tools in the other services read them. Kafka Streams itself is configured with Spring Boot's {@code spring.kafka.streams.*} (application id {@code
 * order-processor}, state dir, any {@code properties.*}).
 *
 * @param stateStores {@code persistent} (RocksDB, default) or {@code in-memory}; both are changelogged
 * @param instanceId a name of this instance that survives its restarts; it makes the instance a static member of the
 *     consumer group (see {@link StaticMembership}); empty: derived from the host name and {@code server.port}
 */
@Validated
@ConfigurationProperties("orders.processor")
public record ProcessorProperties(
        @NotNull @DefaultValue("persistent") TopologySettings.StoreType stateStores,
        @NotNull @DefaultValue("") String instanceId) {}
