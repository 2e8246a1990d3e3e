package io.orderpipeline.ingest.idempotency;

/**
 * The idempotency store could not be brought up to date in time (starting up, or Kafka unreachable), so a keyed
 * request cannot be answered safely; answered {@code 503} with {@code Retry-After}. Nothing was written.
 */
public class IdempotencyStoreUnavailableException extends RuntimeException {

    public IdempotencyStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
