package io.orderpipeline.shared;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * Binds the shared settings and provides the shared beans to every service that has this module on its classpath:
 * {@link KafkaClients}, the registry-backed {@link AvroSerdes} and {@link OrderTopics}, {@link TopicProvisioner} and
 * {@link RegistryProbe}. A test may replace {@link AvroSerdes} with its own bean.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties({TopicSettings.class, RegistrySettings.class, StartupSettings.class})
public class SharedKafkaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KafkaClients kafkaClients(KafkaProperties kafka) {
        return new KafkaClients(kafka);
    }

    @Bean
    @ConditionalOnMissingBean
    AvroSerdes avroSerdes(RegistrySettings registry) {
        return AvroSerdes.registry(registry.url());
    }

    @Bean
    @ConditionalOnMissingBean
    OrderTopics orderTopics(TopicSettings topics, AvroSerdes serdes) {
        return OrderTopics.create(topics.names(), serdes);
    }

    @Bean
    @ConditionalOnMissingBean
    TopicProvisioner topicProvisioner(KafkaClients clients, StartupSettings startup) {
        return new TopicProvisioner(clients, startup.waiter());
    }

    @Bean
    @ConditionalOnMissingBean
    RegistryProbe registryProbe(StartupSettings startup) {
        return new RegistryProbe(startup.waiter());
    }
}
