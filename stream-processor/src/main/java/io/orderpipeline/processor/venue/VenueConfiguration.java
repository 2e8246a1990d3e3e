package io.orderpipeline.processor.venue;

import io.orderpipeline.fixgateway.KafkaReportSink;
import io.orderpipeline.fixgateway.VenueSettings;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The venue over FIX ({@code orders.exchange.kind=fix}, the default): the report producer, the session, the gateway the
 * topology places through, and the {@code venue} health component.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orders.exchange.kind", havingValue = "fix", matchIfMissing = true)
class VenueConfiguration {

    /**
     * Writes the reports this session receives to {@code orders.executions}. Built by {@code shared}'s
     * {@link KafkaClients} like every client ({@code spring.kafka.*} security settings included); idempotent with
     * {@code acks=all}, so a report the sink confirmed is on the broker once per send, and a resend (same executionId)
     * is deduplicated by the topology.
     */
    @Bean(destroyMethod = "close")
    KafkaProducer<String, ExecutionReport> executionReportProducer(KafkaClients clients, AvroSerdes serdes) {
        return clients.producer(
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "execution-reports"),
                new StringSerializer(),
                serdes.valueSerde(ExecutionReport.class).serializer());
    }

    @Bean
    VenueSession venueSession(
            VenueSettings settings,
            TopicSettings topics,
            KafkaProducer<String, ExecutionReport> executionReportProducer) {
        return new VenueSession(
                settings,
                new KafkaReportSink(executionReportProducer, topics.names().executions()));
    }

    @Bean
    FixExchangeGateway fixExchangeGateway(VenueSession session) {
        return new FixExchangeGateway(session);
    }

    @Bean("venue")
    VenueHealthIndicator venueHealthIndicator(VenueSession session) {
        return new VenueHealthIndicator(session);
    }
}
