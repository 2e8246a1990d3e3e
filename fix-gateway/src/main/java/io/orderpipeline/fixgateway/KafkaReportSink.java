package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.ExecutionReport;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each report to {@code orders.executions}, keyed by accountId (the key the commands use, so the report lands
 * in the partition of the task that owns the order), and returns only after the broker acknowledged it. A failed or
 * timed-out write throws, which makes the venue resend the report (see {@link VenueConnection}); the producer should
 * be idempotent with {@code acks=all}. The producer belongs to the caller, who closes it.
 */
public final class KafkaReportSink implements ReportSink {

    private final Producer<String, ExecutionReport> producer;
    private final String topic;
    private final Duration timeout;

    /**
     * @param timeout how long one write may take before it counts as failed; keep it below the session's heartbeat
     *     interval times 1.5, or the venue takes the blocked session for dead (harmless: it reconnects and resends)
     */
    public KafkaReportSink(Producer<String, ExecutionReport> producer, String topic, Duration timeout) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public KafkaReportSink(Producer<String, ExecutionReport> producer, String topic) {
        this(producer, topic, Duration.ofSeconds(5));
    }

    @Override
    public void accept(ExecutionReport report) throws Exception {
        producer.send(new ProducerRecord<>(topic, report.getAccountId(), report))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
