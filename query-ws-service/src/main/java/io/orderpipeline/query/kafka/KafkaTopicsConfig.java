package io.orderpipeline.query.kafka;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Topics and serdes. The read side only reads {@code orders.state}; it declares that topic (compacted, same partition
 * count as every other service declares) so that it can start before the stream-processor.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfig {

    @Bean
    @ConditionalOnMissingBean
    AvroSerdes avroSerdes(RegistryProperties registry) {
        return AvroSerdes.registry(registry.url());
    }

    @Bean
    OrderTopics orderTopics(TopicsProperties topics, AvroSerdes serdes) {
        return OrderTopics.create(topics.names(), serdes);
    }

    @Bean
    NewTopic orderStateTopic(TopicsProperties topics) {
        return TopicBuilder.name(topics.state())
                .partitions(topics.partitions())
                .replicas(topics.replicationFactor())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .build();
    }
}
