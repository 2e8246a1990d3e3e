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
 *   <li>{@code ingest.orders.accepted{command=PLACE|CANCEL, replayed=true|false}}: 2xx answers, one per order of a
 *       batch;
 *   <li>{@code ingest.orders.rejected{reason}}: 4xx answers, nothing written ({@code invalid}, {@code
 *       payload_too_large}, {@code unsupported_media_type}, {@code idempotency_conflict}, {@code other}), and the
 *       refused orders of an accepted batch ({@code invalid_batch_item});
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
        accepted(command, replayed, 1);
    }

    public void accepted(String command, boolean replayed, int orders) {
        Counter.builder("ingest.orders.accepted")
                .description("Commands acknowledged by Kafka (or replayed for a repeated Idempotency-Key)")
                .tag("command", command)
                .tag("replayed", Boolean.toString(replayed))
                .register(meters)
                .increment(orders);
    }

    public void rejected(String reason) {
        rejected(reason, 1);
    }

    public void rejected(String reason, int requests) {
        Counter.builder("ingest.orders.rejected")
                .description("Requests (or orders of a batch) refused; nothing of them was written")
                .tag("reason", reason)
                .register(meters)
                .increment(requests);
    }

    public void failed(String reason) {
        Counter.builder("ingest.orders.failed")
                .description("Requests answered with a 5xx")
                .tag("reason", reason)
                .register(meters)
                .increment();
    }
}
