package io.orderpipeline.ingest.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicProvisioner;
import io.orderpipeline.shared.TopicSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka side of ingest-api: the topic it writes, their creation in the background, the transactional command log
 * every write goes through, and the admin client that health checks and the idempotency store use. Every client is
 * built by the shared {@link KafkaClients} from {@code spring.kafka.*} (so security settings reach all of them); the
 * delivery guarantees ({@code acks=all}, idempotence, transactions) are forced here because the HTTP contract depends
 * on them. {@code OrderTopics} (topics and serdes) comes from the shared module's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
class CommandLogConfiguration {

    @Bean
    NewTopic commandsTopic(TopicSettings topics) {
        return topics.topic(topics.commands());
    }

    /** Ingest's topics (every {@link NewTopic} bean), created in the background and retried until they exist. */
    @Bean
    TopicProvisioning topicProvisioning(TopicProvisioner provisioner, List<NewTopic> topics) {
        return new TopicProvisioning(provisioner, topics, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    @Bean
    CommandLog commandLog(
            KafkaClients clients,
            IngestSettings settings,
            ObjectProvider<ServerProperties> server,
            OrderTopics topics,
            MeterRegistry meters) {
        IngestSettings.Producer producer = settings.producer();
        ServerProperties serverProperties = server.getIfAvailable();
        String prefix = TransactionalIds.prefix(
                settings, serverProperties == null ? null : serverProperties.getPort(), TransactionalIds::hostName);
        return new CommandLog(
                committer -> clients.producer(
                        producerOverrides(producer, prefix + "-" + committer),
                        new StringSerializer(),
                        new ByteArraySerializer()),
                topics.commands(),
                producer,
                meters);
    }

    @Bean(destroyMethod = "close")
    Admin ingestAdmin(KafkaClients clients) {
        return clients.admin(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.CLIENT_ID_CONFIG, "ingest-api-admin"));
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
