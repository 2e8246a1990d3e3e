package io.orderpipeline.venue.book;

import java.math.BigDecimal;

/**
 * An OrderCancelRequest(F) ({@code replace = false}) or OrderCancelReplaceRequest(G) as the book sees it.
 *
 * @param requestId ClOrdID(11) of the request
 * @param orderId OrigClOrdID(41): the order it is about
 * @param quantity the new OrderQty(38) of a replace
 * @param price the new limit of a replace ({@code null}: market order, or unchanged)
 */
public record AmendRequest(
        boolean replace, String requestId, String orderId, String account, long quantity, BigDecimal price) {}
