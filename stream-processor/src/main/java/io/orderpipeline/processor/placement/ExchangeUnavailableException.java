package io.orderpipeline.processor.placement;

/** Transient: the exchange could not take the order now (overload, outage window, lost connection). Retried. */
public class ExchangeUnavailableException extends ExchangeException {

    public ExchangeUnavailableException(String message) {
        super(message);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
