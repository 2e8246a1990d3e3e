/**
 * Placing orders: the {@link io.orderpipeline.processor.placement.ExchangeGateway} contract (non-blocking, idempotent by
 * orderId), the deterministic {@link io.orderpipeline.processor.placement.SimulatedExchange} with its
 * {@link io.orderpipeline.processor.placement.ExchangeLedger}, and the
 * {@link io.orderpipeline.processor.placement.RetryPolicy} (exponential backoff with deterministic jitter, tiers).
 */
package io.orderpipeline.processor.placement;
