package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.ExecutionReport;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each report to {@code orders.executions}, keyed by accountId (the key the commands use, so the report lands
 * in the partition of the task that owns the order); the stage completes when the broker acknowledged it, or
 * exceptionally when the producer gave up ({@code delivery.timeout.ms}), which makes the venue resend the report (see
 * {@link VenueConnection}). The producer should be idempotent with {@code acks=all}, so the order per partition holds
 * across its retries. The producer belongs to the caller, who closes it.
 */
public final class KafkaReportSink implements ReportSink {

    private final Producer<String, ExecutionReport> producer;
    private final String topic;

    public KafkaReportSink(Producer<String, ExecutionReport> producer, String topic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public CompletionStage<Void> accept(ExecutionReport report) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, report.getAccountId(), report), (metadata, error) -> {
            if (error == null) {
                stored.complete(null);
            } else {
                stored.completeExceptionally(error);
            }
        });
        return stored;
    }
}
