package io.orderpipeline.processor.placement;

import java.util.Objects;

/**
 * The exchange accepted the order.
 *
 * @param exchangeOrderId the exchange's id for the order
 * @param duplicate {@code true} when the exchange already held this order id (a replayed request): the ack is the
 *     original one and nothing new was placed
 */
public record ExchangeAck(String exchangeOrderId, boolean duplicate) {

    public ExchangeAck {
        Objects.requireNonNull(exchangeOrderId, "exchangeOrderId");
    }
}
