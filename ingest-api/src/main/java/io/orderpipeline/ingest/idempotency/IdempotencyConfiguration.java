package io.orderpipeline.ingest.idempotency;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The idempotency store, its topic and its health. */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

    @Bean
    NewTopic idempotencyTopic(TopicSettings topics, IngestSettings settings) {
        long retention = settings.idempotency().retention().toMillis();
        // compact keeps one record per key; delete drops keys older than the idempotency window
        return topics.topic(topics.idempotency())
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        "compact,delete",
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(retention),
                        TopicConfig.SEGMENT_MS_CONFIG,
                        Long.toString(Math.min(retention, 3_600_000L))));
    }

    @Bean
    IdempotencyStore idempotencyStore(
            KafkaClients clients,
            TopicSettings topics,
            IngestSettings settings,
            Admin ingestAdmin,
            Clock clock,
            MeterRegistry meters) {
        Map<String, Object> config = clients.consumerConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                // records of aborted command transactions must never count as remembered keys
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5_000,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "ingest-api-idempotency-reader-" + UUID.randomUUID()));
        // a group-less reader: every instance reads every partition from the beginning
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        IdempotencyStore store = new IdempotencyStore(
                topics.idempotency(),
                () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
                ingestAdmin,
                clock,
                settings.idempotency().retention());
        Gauge.builder("ingest.idempotency.keys", store, IdempotencyStore::size)
                .description("Idempotency keys held in memory")
                .register(meters);
        return store;
    }

    /**
     * Health {@code idempotency}: OUT_OF_SERVICE until the store has loaded the topic once, DOWN while its reader
     * recovers from a failure (a new consumer after a backoff), UP otherwise.
     */
    @Bean("idempotency")
    HealthIndicator idempotencyHealth(IdempotencyStore store) {
        return () -> {
            Health.Builder health =
                    !store.ready() ? Health.outOfService() : store.failure().isPresent() ? Health.down() : Health.up();
            store.failure().ifPresent(failure -> health.withDetail("reader", "recovering from " + failure));
            return health.withDetail("keys", store.size())
                    .withDetail("readerRestarts", store.restarts())
                    .build();
        };
    }
}
