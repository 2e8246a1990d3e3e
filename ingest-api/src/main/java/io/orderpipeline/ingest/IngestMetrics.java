package io.orderpipeline.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Request outcomes as Micrometer counters (Prometheus: {@code ingest_orders_accepted_total}, {@code
 * ingest_orders_rejected_total}, {@code ingest_orders_failed_total}). Produce latency is {@code
 * ingest.produce.latency}, recorded by {@code CommandLog}.
 *
 * <ul>
 *   <li>{@code ingest.orders.accepted{command=PLACE|CANCEL, replayed=true|false}}: 2xx answers;
 *   <li>{@code ingest.orders.rejected{reason}}: 4xx answers, nothing written ({@code invalid}, {@code
 *       payload_too_large}, {@code unsupported_media_type}, {@code idempotency_conflict}, {@code other});
 *   <li>{@code ingest.orders.failed{reason}}: 5xx answers ({@code kafka_unavailable}, {@code
 *       outcome_unknown}, {@code idempotency_store_unavailable}, {@code internal}).
 * </ul>
 */
@Component
public class IngestMetrics {

    private final MeterRegistry meters;

    public IngestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void accepted(String command, boolean replayed) {
        Counter.builder("ingest.orders.accepted")
                .description("Commands acknowledged by Kafka (or replayed for a repeated Idempotency-Key)")
                .tag("command", command)
                .tag("replayed", Boolean.toString(replayed))
                .register(meters)
                .increment();
    }

    public void rejected(String reason) {
        Counter.builder("ingest.orders.rejected")
                .description("Requests refused with a 4xx; nothing was written")
                .tag("reason", reason)
                .register(meters)
                .increment();
    }

    public void failed(String reason) {
        Counter.builder("ingest.orders.failed")
                .description("Requests answered with a 5xx")
                .tag("reason", reason)
                .register(meters)
                .increment();
    }
}
