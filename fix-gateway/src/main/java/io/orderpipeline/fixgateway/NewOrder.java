package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A NewOrderSingle(D). Its ClOrdID(11) is the pipeline's {@code orderId}, so every attempt to place the same order
 * carries the same id and the venue places it at most once.
 *
 * @param price the limit; {@code null} for a market order
 */
public record NewOrder(
        String orderId,
        String accountId,
        String symbol,
        Side side,
        OrderType orderType,
        long quantity,
        BigDecimal price) {

    public NewOrder {
        Objects.requireNonNull(orderId, "orderId");
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
