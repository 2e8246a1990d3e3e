package io.orderpipeline.ingest.idempotency;

import java.time.Instant;

/**
 * What an instance remembers about a keyed PLACE, stored as JSON in the compacted {@code orders.idempotency} topic
 * under the order id (which is itself derived from account and key).
 *
 * @param fingerprint {@link io.orderpipeline.ingest.order.PlaceOrder#fingerprint()} of the accepted body
 * @param commandId the PLACE command's id
 * @param acceptedAt when the broker acknowledged the command; also the start of the retention window
 */
public record IdempotencyRecord(String fingerprint, String commandId, Instant acceptedAt) {}
