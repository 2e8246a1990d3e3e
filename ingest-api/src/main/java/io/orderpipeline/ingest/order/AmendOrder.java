package io.orderpipeline.ingest.order;

import java.math.BigDecimal;

/**
 * A {@code PATCH /orders/{id}} body that passed the edge checks: what to change, as {@code OrderCommand} of type
 * {@code AMEND} carries it.
 *
 * @param quantity the new quantity, {@link #KEEP_QUANTITY} to keep it
 * @param price the new limit price at the wire scale (6 decimals), {@code null} to keep it
 */
public record AmendOrder(long quantity, BigDecimal price) {

    /** {@code OrderCommand.quantity} of an AMEND that keeps the quantity. */
    public static final long KEEP_QUANTITY = 0;
}
