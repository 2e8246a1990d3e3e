package io.orderpipeline.ingest.admin;

import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The operators' side of ingest-api: re-drives and the compacted topic of their marks. */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

    /** Created with ingest's other topics, in the background (every {@link NewTopic} bean). */
    @Bean
    NewTopic redrivesTopic(TopicSettings topics) {
        return topics.compacted(topics.redrives());
    }

    @Bean
    Redrives redrives(
            KafkaClients clients,
            TopicSettings topics,
            OrderTopics orderTopics,
            AdminSettings settings,
            JsonMapper json,
            Clock clock) {
        return new Redrives(clients, topics, orderTopics, settings, json, clock);
    }
}
