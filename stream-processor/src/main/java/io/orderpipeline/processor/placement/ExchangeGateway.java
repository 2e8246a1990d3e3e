package io.orderpipeline.processor.placement;

import java.util.concurrent.CompletionStage;

/**
 * Where orders are placed. The topology calls it from a stream thread, so an implementation must not block: it returns
 * a stage that completes later (a punctuator picks the result up) or one that is already complete.
 *
 * <p><b>Idempotency is part of the contract.</b> Kafka Streams with {@code exactly_once_v2} makes the topology's own
 * effects (stores, output topics) atomic, but a call to an external system inside an aborted transaction is replayed
 * after a crash or rebalance. A gateway must therefore treat {@link PlacementRequest#orderId()} as an idempotency key
 * (like a FIX {@code ClOrdID}): a second request for an order the exchange already holds returns the original
 * {@link ExchangeAck} ({@link ExchangeAck#duplicate()} {@code true}) and never creates a second exchange order.
 */
public interface ExchangeGateway {

    /**
     * Sends one placement attempt.
     *
     * @return completes with the exchange's acknowledgement, or exceptionally with an {@link ExchangeException}
     *     ({@link ExchangeException#retryable()} decides between a retry and the dead-letter topic); any other
     *     exception counts as retryable
     */
    CompletionStage<ExchangeAck> place(PlacementRequest request);

    /**
     * Withdraws the order if the exchange holds it or may still receive it (a request in flight or replayed later).
     * Idempotent and non-blocking. Called when an order ends {@code CANCELLED}, and when its last attempt timed out.
     */
    void cancel(String orderId);
}
