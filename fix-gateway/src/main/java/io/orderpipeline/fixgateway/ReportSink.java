package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.ExecutionReport;

/**
 * Where a {@link VenueConnection} hands every report it receives, on the session's own thread, one at a time and in
 * the session's sequence order.
 *
 * <p>Delivery contract: {@link #accept} returns only once the report is durably handed on (for {@link
 * KafkaReportSink}: the broker acknowledged it). If it throws, the FIX session does not count the message as received
 * (the incoming sequence number is not advanced) and the venue resends it, so a report is never lost between the
 * socket and the sink; it may be delivered more than once (same {@code executionId}), which readers deduplicate.
 */
@FunctionalInterface
public interface ReportSink {

    void accept(ExecutionReport report) throws Exception;
}
