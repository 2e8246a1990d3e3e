package io.orderpipeline.shared;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The one factory of Kafka clients: every producer, consumer, admin and Streams client of every service starts from
 * Spring Boot's {@code spring.kafka.*} properties ({@link KafkaProperties}: bootstrap servers, {@code
 * security.protocol}, SASL and SSL settings, {@code spring.kafka.properties.*}, and the per-kind sections such as
 * {@code spring.kafka.consumer.*}), then applies the component's own overrides, which win. A client built any other
 * way would silently drop the security settings; {@code docs/ARCHITECTURE.md}, "One Kafka configuration".
 */
public final class KafkaClients {

    private final KafkaProperties kafka;

    public KafkaClients(KafkaProperties kafka) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
    }

    /** Producer settings: {@code spring.kafka.*} and {@code spring.kafka.producer.*}, then {@code overrides}. */
    public Map<String, Object> producerConfig(Map<String, ?> overrides) {
        return merge(kafka.buildProducerProperties(), overrides);
    }

    /** Consumer settings: {@code spring.kafka.*} and {@code spring.kafka.consumer.*}, then {@code overrides}. */
    public Map<String, Object> consumerConfig(Map<String, ?> overrides) {
        return merge(kafka.buildConsumerProperties(), overrides);
    }

    /** Admin settings: {@code spring.kafka.*} and {@code spring.kafka.admin.*}, then {@code overrides}. */
    public Map<String, Object> adminConfig(Map<String, ?> overrides) {
        return merge(kafka.buildAdminProperties(), overrides);
    }

    /**
     * Kafka Streams settings: {@code spring.kafka.*} and {@code spring.kafka.streams.*}, then {@code overrides}. The
     * common security settings reach the Streams app's embedded producers, consumers and admin alike.
     */
    public Properties streamsConfig(Map<String, ?> overrides) {
        Properties properties = new Properties();
        properties.putAll(merge(kafka.buildStreamsProperties(), overrides));
        return properties;
    }

    public <K, V> KafkaProducer<K, V> producer(
            Map<String, ?> overrides, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return new KafkaProducer<>(producerConfig(overrides), keySerializer, valueSerializer);
    }

    public <K, V> KafkaConsumer<K, V> consumer(
            Map<String, ?> overrides, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new KafkaConsumer<>(consumerConfig(overrides), keyDeserializer, valueDeserializer);
    }

    public Admin admin(Map<String, ?> overrides) {
        return Admin.create(adminConfig(overrides));
    }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>(base);
        config.putAll(overrides);
        return config;
    }
}
