package io.orderpipeline.processor.placement;

/**
 * Transient: no answer within {@code orders.placement.timeout}. The exchange may still have placed the order; the next
 * attempt finds out (the exchange is idempotent by order id), and after the last attempt the order is withdrawn.
 */
public class PlacementTimeoutException extends ExchangeException {

    public PlacementTimeoutException(String message) {
        super(message);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
