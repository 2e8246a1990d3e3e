package io.orderpipeline.processor.placement;

/** What a cancel or replace call did at once. A request that could not be sent throws an {@link ExchangeException}. */
public enum RequestOutcome {
    /** The exchange applied it already (an in-process exchange): the order is cancelled / amended now. */
    DONE,
    /** The request is on its way; the exchange answers with an execution report on {@code orders.executions}. */
    SENT
}
