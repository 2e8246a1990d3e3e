package io.orderpipeline.processor.placement;

import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One attempt to place an order at the exchange.
 *
 * @param orderId the idempotency key at the exchange
 * @param attempt 1-based attempt number
 * @param price limit price, {@code null} for MARKET orders
 */
public record PlacementRequest(
        String orderId,
        String accountId,
        String symbol,
        Side side,
        OrderType orderType,
        long quantity,
        BigDecimal price,
        int attempt) {

    public PlacementRequest {
        Objects.requireNonNull(orderId, "orderId");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
        }
    }
}
