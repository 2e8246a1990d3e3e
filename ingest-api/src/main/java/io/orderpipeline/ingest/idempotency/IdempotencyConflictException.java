package io.orderpipeline.ingest.idempotency;

/** The Idempotency-Key was already used with a different body; answered {@code 422}. Nothing was written. */
public class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String orderId) {
        super("Idempotency-Key already used for order " + orderId + " with a different request body");
    }
}
