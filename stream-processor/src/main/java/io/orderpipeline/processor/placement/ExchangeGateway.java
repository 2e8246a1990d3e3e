package io.orderpipeline.processor.placement;

import java.util.concurrent.CompletionStage;

/**
 * Where orders are placed, cancelled and amended. The topology calls it from a stream thread, so an implementation
 * must not block: {@link #place} returns a stage that completes later (a punctuator picks the result up) or one that is
 * already complete; {@link #cancel} and {@link #replace} only hand the request over.
 *
 * <p><b>Two kinds of exchange.</b> An in-process exchange ({@link SimulatedExchange}) answers directly: {@code place}
 * completes with an {@link ExchangeAck.Kind#ACKNOWLEDGED} ack ({@code PLACED}) and cancel/replace return
 * {@link RequestOutcome#DONE}. A venue over a protocol (FIX) answers with execution reports that come back through
 * {@code orders.executions}: {@code place} completes with {@link ExchangeAck#sent()} once the request is out, the
 * attempt stays in flight until a report arrives or its timeout passes (then it is retried with the same id), and
 * cancel/replace return {@link RequestOutcome#SENT} ({@code CANCEL_REQUESTED} / {@code AMEND_REQUESTED}).
 *
 * <p><b>Idempotency is part of the contract.</b> Kafka Streams with {@code exactly_once_v2} makes the topology's own
 * effects (stores, output topics) atomic, but a call to an external system inside an aborted transaction is replayed
 * after a crash or rebalance. A gateway must therefore treat {@link PlacementRequest#orderId()} (and the request ids of
 * cancels and replaces) as idempotency keys, like a FIX {@code ClOrdID}: a second request for an order the exchange
 * already holds returns the original answer and never creates a second exchange order.
 */
public interface ExchangeGateway {

    /**
     * Sends one placement attempt.
     *
     * @return completes with the exchange's acknowledgement (or {@link ExchangeAck#sent()}), or exceptionally with an
     *     {@link ExchangeException} ({@link ExchangeException#retryable()} decides between a retry and the dead-letter
     *     topic); any other exception counts as retryable
     */
    CompletionStage<ExchangeAck> place(PlacementRequest request);

    /**
     * Cancels the order if the exchange holds it, and withdraws it if the exchange may still receive it (a request in
     * flight or replayed later): afterwards a placement of that order id is refused. Idempotent by request id.
     *
     * @throws ExchangeException if the request could not be handed over (e.g. no session)
     */
    RequestOutcome cancel(CancelRequest request);

    /**
     * Changes quantity and/or price of an order the exchange holds. Idempotent by request id.
     *
     * @throws ExchangeException if the request could not be handed over (e.g. no session)
     */
    RequestOutcome replace(ReplaceRequest request);
}
