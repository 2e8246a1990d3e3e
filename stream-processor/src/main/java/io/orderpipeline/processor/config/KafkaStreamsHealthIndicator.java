package io.orderpipeline.processor.config;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code kafkaStreams}: UP while the Streams client is RUNNING or REBALANCING
 * (rebalancing is normal operation), OUT_OF_SERVICE while it is still starting, DOWN once it is in ERROR or shutting
 * down. Details name the state and each stream thread with its active tasks.
 */
@Component("kafkaStreams")
class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final StreamsBuilderFactoryBean factoryBean;

    KafkaStreamsHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
        this.factoryBean = factoryBean;
    }

    @Override
    public Health health() {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        if (streams == null) {
            return Health.outOfService().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = streams.state();
        Health.Builder health = switch (state) {
            case RUNNING, REBALANCING -> Health.up();
            case CREATED -> Health.outOfService();
            default -> Health.down();
        };
        List<Map<String, Object>> threads = streams.metadataForLocalThreads().stream()
                .map(KafkaStreamsHealthIndicator::describe)
                .toList();
        return health.withDetail("state", state.name())
                .withDetail("threads", threads)
                .build();
    }

    private static Map<String, Object> describe(ThreadMetadata thread) {
        return Map.of(
                "name", thread.threadName(),
                "state", thread.threadState(),
                "activeTasks",
                        thread.activeTasks().stream()
                                .map(t -> t.taskId().toString())
                                .sorted()
                                .toList(),
                "standbyTasks", thread.standbyTasks().size());
    }
}
