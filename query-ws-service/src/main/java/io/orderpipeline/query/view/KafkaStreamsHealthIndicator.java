package io.orderpipeline.query.view;

import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code kafkaStreams}: UP while the read side's Streams client is RUNNING or
 * REBALANCING (queries are then answered from standby or restoring copies, or fail fast with 503), DOWN otherwise —
 * also while a client in ERROR is being replaced. Details count the stream threads and clients replaced so far.
 */
@Component("kafkaStreams")
class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final OrderViewStreams streams;
    private final QueryProperties properties;

    KafkaStreamsHealthIndicator(OrderViewStreams streams, QueryProperties properties) {
        this.streams = streams;
        this.properties = properties;
    }

    @Override
    public Health health() {
        KafkaStreams client = streams.streamsOrNull();
        if (client == null) {
            return Health.down().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = client.state();
        Set<ThreadMetadata> threads = client.metadataForLocalThreads();
        int active = threads.stream().mapToInt(t -> t.activeTasks().size()).sum();
        int standby = threads.stream().mapToInt(t -> t.standbyTasks().size()).sum();
        Health.Builder builder = state.isRunningOrRebalancing() ? Health.up() : Health.down();
        return builder.withDetail("state", state.name())
                .withDetail("applicationId", properties.applicationId())
                .withDetail("threads", threads.size())
                .withDetail("activeTasks", active)
                .withDetail("standbyTasks", standby)
                .withDetail("replacedThreads", streams.replacedThreads())
                .withDetail("replacedClients", streams.replacedClients())
                .build();
    }
}
