package io.orderpipeline.processor.placement;

/** Fatal: the exchange refused the order and will refuse it again. Not retried. */
public class ExchangeRejectedException extends ExchangeException {

    public ExchangeRejectedException(String message) {
        super(message);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
