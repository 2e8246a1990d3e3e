package io.orderpipeline.venue.book;

import java.math.BigDecimal;

/**
 * A NewOrderSingle(D) as the book sees it.
 *
 * @param price the limit; {@code null} for a market order
 */
public record OrderRequest(
        String clOrdId, String account, String symbol, Side side, boolean limit, long quantity, BigDecimal price) {}
