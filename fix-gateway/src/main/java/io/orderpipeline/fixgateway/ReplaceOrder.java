package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * An OrderCancelReplaceRequest(G): ClOrdID(11) = {@code requestId} (see {@link ClOrdIds#replace(String, long)}),
 * OrigClOrdID(41) = {@code orderId}; the venue answers REPLACED or an OrderCancelReject with CxlRejResponseTo(434)=2.
 *
 * @param quantity the new total OrderQty(38) (including what is already filled)
 * @param price the new limit; {@code null} for a market order
 */
public record ReplaceOrder(
        String orderId,
        String requestId,
        String accountId,
        String symbol,
        Side side,
        OrderType orderType,
        long quantity,
        BigDecimal price) {

    public ReplaceOrder {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(orderType, "orderType");
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be > 0: " + quantity);
        }
        if (orderType == OrderType.LIMIT && price == null) {
            throw new IllegalArgumentException("a limit order needs a price");
        }
    }
}
