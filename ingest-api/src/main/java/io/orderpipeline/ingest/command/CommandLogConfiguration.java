package io.orderpipeline.ingest.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The Kafka side of ingest-api: topics it writes, the transactional command log every write goes through, and the
 * admin client that health checks and the idempotency store use. Connection settings come from {@code
 * spring.kafka.*}; the delivery guarantees ({@code acks=all}, idempotence, transactions) are forced here because the
 * HTTP contract depends on them.
 */
@Configuration(proxyBeanMethods = false)
class CommandLogConfiguration {

    @Bean
    OrderTopics orderTopics(TopicSettings topics, RegistrySettings registry) {
        return OrderTopics.create(topics.names(), AvroSerdes.registry(registry.url()));
    }

    @Bean
    NewTopic commandsTopic(TopicSettings topics) {
        return TopicBuilder.name(topics.commands())
                .partitions(topics.partitions())
                .replicas(topics.replicationFactor())
                .build();
    }

    @Bean
    TopicCreator topicCreator(Admin ingestAdmin, List<NewTopic> topics) {
        return new TopicCreator(ingestAdmin, topics);
    }

    @Bean
    CommandLog commandLog(KafkaProperties kafka, IngestSettings settings, OrderTopics topics, MeterRegistry meters) {
        IngestSettings.Producer producer = settings.producer();
        String transactionalIdPrefix =
                producer.transactionalId().isBlank() ? "ingest-api-" + UUID.randomUUID() : producer.transactionalId();
        return new CommandLog(
                committer -> {
                    Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
                    config.putAll(producerOverrides(producer, transactionalIdPrefix + "-" + committer));
                    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
                },
                topics.commands(),
                settings.producer(),
                meters);
    }

    @Bean(destroyMethod = "close")
    Admin ingestAdmin(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "ingest-api-admin");
        return Admin.create(config);
    }

    /** The settings the HTTP contract relies on; they override anything under {@code spring.kafka.producer}. */
    static Map<String, Object> producerOverrides(IngestSettings.Producer producer, String transactionalId) {
        long linger = producer.linger().toMillis();
        long request = producer.requestTimeout().toMillis();
        // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms; keep the configured bound if larger.
        long delivery = Math.max(producer.deliveryTimeout().toMillis(), linger + request);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int)
                producer.transactionTimeout().toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, producer.maxBlock().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        return config;
    }
}
