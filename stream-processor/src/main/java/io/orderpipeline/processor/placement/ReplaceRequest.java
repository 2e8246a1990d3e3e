package io.orderpipeline.processor.placement;

import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A request to change an order's quantity and/or limit price at the exchange (FIX OrderCancelReplaceRequest).
 *
 * @param requestId {@code <orderId>:a<version>} ({@link #idFor}): the same for a replay of the same command
 * @param orderId the order to change (OrigClOrdID)
 * @param quantity the new total quantity (filled part included)
 * @param price the new limit price; {@code null} for a MARKET order
 */
public record ReplaceRequest(
        String requestId,
        String orderId,
        String accountId,
        String symbol,
        Side side,
        OrderType orderType,
        long quantity,
        BigDecimal price) {

    public ReplaceRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(orderId, "orderId");
    }

    /** The request id of an amend asked for when the order was at {@code version}. */
    public static String idFor(String orderId, long version) {
        return orderId + ":a" + version;
    }
}
