package io.orderpipeline.fixgateway;

import io.orderpipeline.schemas.avro.Side;
import java.util.Objects;

/**
 * An OrderCancelRequest(F): ClOrdID(11) = {@code requestId} (see {@link ClOrdIds#cancel(String, long)}),
 * OrigClOrdID(41) = {@code orderId}. A cancel for an order the venue never saw leaves a tombstone there: the order
 * can no longer be placed.
 *
 * @param quantity OrderQty(38) of the order as the pipeline knows it (required by FIX 4.4, informational)
 */
public record CancelOrder(String orderId, String requestId, String accountId, String symbol, Side side, long quantity) {

    public CancelOrder {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
    }
}
