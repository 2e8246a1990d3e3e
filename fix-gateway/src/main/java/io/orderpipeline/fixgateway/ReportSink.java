package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.ExecutionReport;
import java.util.concurrent.CompletionStage;

/**
 * Where a {@link VenueConnection} hands every report it receives, on the session's own thread, one at a time and in
 * the session's sequence order.
 *
 * <p>Delivery contract: {@link #accept} must not wait for the report to be stored; it returns a stage that completes
 * once the report is durably handed on (for {@link KafkaReportSink}: the broker acknowledged it), or exceptionally if
 * it was not. Until it completes the connection counts the report as not received: after a failure, a restart or a
 * dropped session the venue resends it (see {@link VenueConnection}, Inbound), so a report is never lost between the
 * socket and the sink; it may be delivered more than once (same {@code executionId}), which readers deduplicate.
 * Reports of one order must reach the store in the order they were accepted (a Kafka producer keeps the order per
 * partition).
 */
@FunctionalInterface
public interface ReportSink {

    CompletionStage<Void> accept(ExecutionReport report);
}
