package io.orderpipeline.query.view;

/**
 * No copy of the data a query needs can answer right now (Streams starting or rebalancing, the owner unreachable, no
 * standby). The HTTP layer turns it into {@code 503} with {@code Retry-After}; it is never a reason to hang.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
