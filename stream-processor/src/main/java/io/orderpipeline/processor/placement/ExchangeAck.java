package io.orderpipeline.processor.placement;

import java.util.Objects;

/**
 * The exchange's answer to one placement attempt.
 *
 * @param kind {@link Kind#ACKNOWLEDGED}: the exchange holds the order now ({@code PLACED}); {@link Kind#SENT}: the
 *     request is on its way and the exchange answers with execution reports on {@code orders.executions}
 * @param exchangeOrderId the exchange's id for the order; {@code null} for {@link Kind#SENT}
 * @param duplicate {@code true} when the exchange already held this order id (a replayed request): the ack is the
 *     original one and nothing new was placed
 */
public record ExchangeAck(Kind kind, String exchangeOrderId, boolean duplicate) {

    /** What the completion of {@link ExchangeGateway#place} means. */
    public enum Kind {
        /** The exchange accepted the order (an in-process exchange that answers directly). */
        ACKNOWLEDGED,
        /** The request was sent; the answer comes later as an execution report (a venue over FIX). */
        SENT
    }

    public ExchangeAck {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.ACKNOWLEDGED) {
            Objects.requireNonNull(exchangeOrderId, "exchangeOrderId");
        }
    }

    /** The exchange accepted the order as {@code exchangeOrderId}. */
    public ExchangeAck(String exchangeOrderId, boolean duplicate) {
        this(Kind.ACKNOWLEDGED, exchangeOrderId, duplicate);
    }

    /** The request is on its way; reports follow. */
    public static ExchangeAck sent() {
        return new ExchangeAck(Kind.SENT, null, false);
    }
}
