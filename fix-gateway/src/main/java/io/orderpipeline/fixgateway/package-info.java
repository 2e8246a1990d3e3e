/**
 * The pipeline's FIX 4.4 connectivity to the venue: {@link io.orderpipeline.fixgateway.VenueConnection} (one
 * QuickFIX/J initiator session per processor instance), the request records it sends, and the {@link
 * io.orderpipeline.fixgateway.ReportSink} that takes the venue's reports as Avro {@code ExecutionReport}s, at least
 * once ({@link io.orderpipeline.fixgateway.KafkaReportSink}: {@code orders.executions}, keyed by accountId).
 */
package io.orderpipeline.fixgateway;
