package io.orderpipeline.processor.placement;

/**
 * A placement the exchange did not accept. {@link #retryable()} separates transient failures (retry topics with
 * backoff) from fatal ones (straight to {@code FAILED} and the dead-letter topic).
 */
public abstract class ExchangeException extends RuntimeException {

    protected ExchangeException(String message) {
        super(message, null, false, false);
    }

    /** Whether the same request may succeed later. */
    public abstract boolean retryable();
}
