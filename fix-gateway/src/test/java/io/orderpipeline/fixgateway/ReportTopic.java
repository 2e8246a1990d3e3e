package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.ExecutionReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A fresh executions topic on the test broker, with the producer a {@link KafkaReportSink} writes through. */
final class ReportTopic implements AutoCloseable {

    final String name = "orders.executions." + UUID.randomUUID();
    private final Serde<ExecutionReport> serde = AvroSerdes.inMemory().valueSerde(ExecutionReport.class);
    final Producer<String, ExecutionReport> producer;
    private final KafkaConsumer<String, ExecutionReport> consumer;
    private final List<ConsumerRecord<String, ExecutionReport>> records = new CopyOnWriteArrayList<>();

    ReportTopic() throws Exception {
        TestBroker.createTopic(name);
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBroker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0),
                new StringSerializer(),
                serde.serializer());
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBroker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + name,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                serde.deserializer());
        consumer.subscribe(List.of(name));
    }

    KafkaReportSink sink() {
        return new KafkaReportSink(producer, name);
    }

    /** Everything on the topic so far (polls once). */
    synchronized List<ConsumerRecord<String, ExecutionReport>> records() {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return List.copyOf(records);
    }

    List<ExecutionReport> reports(String orderId) {
        return records().stream()
                .map(ConsumerRecord::value)
                .filter(report -> report.getOrderId().equals(orderId))
                .toList();
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
