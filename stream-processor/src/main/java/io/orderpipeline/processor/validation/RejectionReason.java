package io.orderpipeline.processor.validation;

/**
 * Machine-readable reasons carried in {@code OrderState.reasons} and {@code OrderEvent.reasons}. The names are part of
 * the wire contract: clients match on them.
 */
public enum RejectionReason {
    /** The symbol is not in the {@code instruments} reference data. */
    UNKNOWN_SYMBOL,
    /** The instrument exists but is not tradable. */
    INSTRUMENT_NOT_TRADABLE,
    /** Quantity is zero or negative. */
    QUANTITY_NOT_POSITIVE,
    /** Quantity is above {@code orders.validation.max-quantity}. */
    QUANTITY_TOO_LARGE,
    /** Quantity is not a multiple of the instrument's lot size. */
    QUANTITY_NOT_LOT_MULTIPLE,
    /** A LIMIT order without a price. */
    PRICE_REQUIRED,
    /** A MARKET order with a price. */
    PRICE_NOT_ALLOWED,
    /** Price is zero or negative. */
    PRICE_NOT_POSITIVE,
    /** Price is not a multiple of the instrument's tick size. */
    PRICE_NOT_ON_TICK,
    /** Price is outside reference price +/- the instrument's band. */
    PRICE_OUTSIDE_BAND,
    /** The account already used this clientOrderId for another order. */
    DUPLICATE_CLIENT_ORDER_ID,
    /** The order's notional would take the account's open notional above its limit. */
    ACCOUNT_LIMIT_EXCEEDED,
    /** The exchange refused the order for good ({@code FAILED}). */
    EXCHANGE_REJECTED,
    /** Every placement attempt failed ({@code FAILED}). */
    RETRIES_EXHAUSTED,
    /** An amend of an order that ended. */
    ORDER_NOT_LIVE,
    /** An amend of an order the venue has not acknowledged yet. */
    ORDER_NOT_ACKNOWLEDGED,
    /** An amend while a cancel or another amend waits for the venue's answer. */
    REQUEST_PENDING,
    /** An amend to a quantity not above what is filled already. */
    QUANTITY_NOT_ABOVE_FILLED,
    /** An amend that asks for the quantity and price the order has. */
    NOTHING_TO_AMEND,
    /** The venue could not be reached for an amend (no session); try again. */
    VENUE_UNAVAILABLE,
    /** The venue refused the amend (OrderCancelReject). */
    VENUE_REJECTED,
    /** A replay of a FAILED order that traded: a new placement of its whole quantity would trade it twice. */
    ORDER_HAS_FILLS
}
