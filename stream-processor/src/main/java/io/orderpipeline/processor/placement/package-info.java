/**
 * Placing, cancelling and amending orders: the {@link io.orderpipeline.processor.placement.ExchangeGateway} contract
 * (non-blocking, idempotent by orderId and request id; an exchange that answers directly or one that only sends and
 * answers with execution reports), the deterministic {@link io.orderpipeline.processor.placement.SimulatedExchange}
 * with its {@link io.orderpipeline.processor.placement.ExchangeLedger}, and the
 * {@link io.orderpipeline.processor.placement.RetryPolicy} (exponential backoff with deterministic jitter, tiers). The
 * venue over FIX implements the gateway in {@code processor.venue}.
 */
package io.orderpipeline.processor.placement;
