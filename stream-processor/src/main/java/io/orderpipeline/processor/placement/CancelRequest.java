package io.orderpipeline.processor.placement;

import io.orderpipeline.schemas.avro.Side;
import java.util.Objects;

/**
 * A request to cancel an order at the exchange (FIX OrderCancelRequest). Also sent to withdraw an order the exchange
 * may not know yet, so that a placement arriving later can never go live.
 *
 * @param requestId the request's own id, {@code <orderId>:c<version>} ({@link #idFor}): the same for a replay of the
 *     same command, so the exchange answers it once
 * @param orderId the order to cancel (OrigClOrdID)
 */
public record CancelRequest(
        String requestId, String orderId, String accountId, String symbol, Side side, long quantity) {

    public CancelRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(orderId, "orderId");
    }

    /** The request id of a cancel asked for when the order was at {@code version}. */
    public static String idFor(String orderId, long version) {
        return orderId + ":c" + version;
    }
}
