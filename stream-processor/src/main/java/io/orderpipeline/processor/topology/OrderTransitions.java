package io.orderpipeline.processor.topology;

import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The order state machine as pure functions. Every transition returns a state whose version is exactly one more than
 * its predecessor's; a no-op event keeps the version of the state it refers to.
 */
final class OrderTransitions {

    /** {@code OrderState.pendingRequest} of a cancel sent to the venue and not answered yet. */
    static final String CANCEL = "CANCEL";
    /** {@code OrderState.pendingRequest} of an amend sent to the venue and not answered yet. */
    static final String AMEND = "AMEND";

    private OrderTransitions() {}

    static boolean isTerminal(OrderStatus status) {
        return status == OrderStatus.REJECTED
                || status == OrderStatus.FAILED
                || status == OrderStatus.CANCELLED
                || status == OrderStatus.FILLED
                || status == OrderStatus.EXPIRED;
    }

    /** The venue holds the order (acknowledged, maybe partly filled). */
    static boolean isLive(OrderStatus status) {
        return status == OrderStatus.PLACED || status == OrderStatus.PARTIALLY_FILLED;
    }

    /** No venue acknowledgement yet: an attempt is in flight or waits for its retry. */
    static boolean isAwaitingPlacement(OrderStatus status) {
        return status == OrderStatus.PENDING || status == OrderStatus.RETRYING;
    }

    /** The quantity still open: order quantity minus fills, never negative. */
    static long open(OrderState state) {
        return Math.max(0, state.getQuantity() - state.getFilledQuantity());
    }

    /** A new order: {@code PENDING}, version 1. */
    static OrderState accepted(OrderCommand command, Instant now) {
        return OrderState.newBuilder()
                .setOrderId(command.getOrderId())
                .setAccountId(command.getAccountId())
                .setClientOrderId(command.getClientOrderId())
                .setSymbol(command.getSymbol())
                .setSide(command.getSide())
                .setOrderType(command.getOrderType())
                .setQuantity(command.getQuantity())
                .setPrice(money(command.getPrice()))
                .setStatus(OrderStatus.PENDING)
                .setVersion(1L)
                .setAttempts(0)
                .setReasons(List.of())
                .setExchangeOrderId(null)
                .setNextAttemptAt(null)
                .setLastError(null)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
    }

    static OrderState rejected(OrderState state, List<String> reasons, Instant now) {
        return next(state, OrderStatus.REJECTED, now)
                .setReasons(List.copyOf(reasons))
                .build();
    }

    static OrderState retrying(OrderState state, int attempts, Instant nextAttemptAt, String error, Instant now) {
        return next(state, OrderStatus.RETRYING, now)
                .setAttempts(attempts)
                .setNextAttemptAt(nextAttemptAt)
                .setLastError(error)
                .build();
    }

    /** The venue acknowledged attempt {@code attempts}. A pending cancel stays pending: the venue answers it next. */
    static OrderState placed(OrderState state, int attempts, String exchangeOrderId, Instant now) {
        return next(state, OrderStatus.PLACED, now)
                .setAttempts(attempts)
                .setExchangeOrderId(exchangeOrderId != null ? exchangeOrderId : state.getExchangeOrderId())
                .setNextAttemptAt(null)
                .setLeavesQuantity(open(state))
                .build();
    }

    static OrderState failed(OrderState state, int attempts, String reason, String error, Instant now) {
        return ended(state, OrderStatus.FAILED, now)
                .setAttempts(attempts)
                .setReasons(List.of(reason))
                .setLastError(error)
                .build();
    }

    /**
     * An operator's replay of a {@code FAILED} order: {@code RETRYING} again, as a new round of placement attempts
     * (attempts back to 0, so the retry policy's full budget applies; the next attempt, number 1, is due now). The
     * failure reasons are cleared; the last error stays until the next attempt reports its own. The only way out of a
     * terminal state.
     */
    static OrderState reopened(OrderState state, Instant now) {
        if (state.getStatus() != OrderStatus.FAILED) {
            throw new IllegalStateException(
                    "order " + state.getOrderId() + " is " + state.getStatus() + "; only a FAILED order is replayed");
        }
        return bump(state, now)
                .setStatus(OrderStatus.RETRYING)
                .setAttempts(0)
                .setNextAttemptAt(now)
                .setReasons(List.of())
                .setLeavesQuantity(null)
                .build();
    }

    static OrderState cancelled(OrderState state, Instant now) {
        return ended(state, OrderStatus.CANCELLED, now).build();
    }

    /** A cancel was sent to the venue; its answer ends the order or clears the request. */
    static OrderState cancelRequested(OrderState state, Instant now) {
        return next(state, state.getStatus(), now).setPendingRequest(CANCEL).build();
    }

    /** An amend was sent to the venue: quantity and price change once it confirms. */
    static OrderState amendRequested(OrderState state, long quantity, BigDecimal price, Instant now) {
        return next(state, state.getStatus(), now)
                .setPendingRequest(AMEND)
                .setPendingQuantity(quantity)
                .setPendingPrice(money(price))
                .build();
    }

    /**
     * The order now has {@code quantity} and {@code price}; a pending amend is answered. An order whose new quantity
     * is all filled is {@code FILLED}.
     */
    static OrderState amended(OrderState state, long quantity, BigDecimal price, Instant now) {
        OrderStatus status = state.getFilledQuantity() >= quantity ? OrderStatus.FILLED : state.getStatus();
        OrderState.Builder next = next(state, status, now)
                .setQuantity(quantity)
                .setPrice(money(price))
                .setLeavesQuantity(Math.max(0, quantity - state.getFilledQuantity()));
        if (AMEND.equals(state.getPendingRequest()) || status == OrderStatus.FILLED) {
            clearPending(next);
        }
        return next.build();
    }

    /** The venue refused the pending request ({@code CANCEL} or {@code AMEND}): the order stays as it was. */
    static OrderState requestRefused(OrderState state, String reason, Instant now) {
        return clearPending(next(state, state.getStatus(), now))
                .setLastError(reason)
                .build();
    }

    /**
     * A fill. A live or not yet acknowledged order becomes {@code PARTIALLY_FILLED} or {@code FILLED} (a fill before
     * the acknowledgement places it too, as attempt {@code attempts}); an order that already ended keeps its status
     * and records the fill with version + 1, so the sum of fills always equals {@code filledQuantity}.
     */
    static OrderState filled(OrderState state, Fill fill, int attempts, String exchangeOrderId, Instant now) {
        List<Fill> fills = new ArrayList<>(state.getFills());
        fills.add(fill);
        long filled = state.getFilledQuantity() + fill.getQuantity();
        OrderState.Builder next;
        if (isTerminal(state.getStatus())) {
            next = bump(state, now).setLeavesQuantity(0L);
        } else {
            OrderStatus status = filled >= state.getQuantity() ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
            next = next(state, status, now)
                    .setAttempts(attempts)
                    .setNextAttemptAt(null)
                    .setLeavesQuantity(Math.max(0, state.getQuantity() - filled));
            if (status == OrderStatus.FILLED) {
                clearPending(next);
            }
        }
        if (state.getExchangeOrderId() == null) {
            next.setExchangeOrderId(exchangeOrderId);
        }
        return next.setFills(fills)
                .setFilledQuantity(filled)
                .setAveragePrice(averagePrice(fills))
                .build();
    }

    /** The venue ended the order ({@code CANCELLED} or {@code EXPIRED}). */
    static OrderState endedByVenue(OrderState state, OrderStatus status, String exchangeOrderId, Instant now) {
        OrderState.Builder next = ended(state, status, now);
        if (state.getExchangeOrderId() == null) {
            next.setExchangeOrderId(exchangeOrderId);
        }
        return next.build();
    }

    /** Volume-weighted price of {@code fills}, scale 6; {@code null} without fills. */
    static BigDecimal averagePrice(List<Fill> fills) {
        BigDecimal notional = BigDecimal.ZERO;
        long quantity = 0;
        for (Fill fill : fills) {
            notional = notional.add(fill.getPrice().multiply(BigDecimal.valueOf(fill.getQuantity())));
            quantity += fill.getQuantity();
        }
        return quantity == 0 ? null : notional.divide(BigDecimal.valueOf(quantity), 6, RoundingMode.HALF_EVEN);
    }

    /** The event that records the transition from {@code previous} (null for a new order) to {@code next}. */
    static OrderEvent event(OrderState previous, OrderState next, OrderEventType type, String detail) {
        return event(previous, next, type, detail, null);
    }

    /** As {@link #event(OrderState, OrderState, OrderEventType, String)}, with the fill a fill event records. */
    static OrderEvent event(OrderState previous, OrderState next, OrderEventType type, String detail, Fill fill) {
        boolean reshaped = previous != null
                && (previous.getQuantity() != next.getQuantity()
                        || !Objects.equals(previous.getPrice(), next.getPrice()));
        return OrderEvent.newBuilder()
                .setOrderId(next.getOrderId())
                .setType(type)
                .setVersion(next.getVersion())
                .setPreviousStatus(previous == null ? null : previous.getStatus())
                .setStatus(next.getStatus())
                .setAttempts(next.getAttempts())
                .setReasons(next.getReasons())
                .setExchangeOrderId(next.getExchangeOrderId())
                .setDetail(detail)
                .setOccurredAt(next.getUpdatedAt())
                .setFill(fill)
                .setFilledQuantity(next.getFilledQuantity())
                .setLeavesQuantity(next.getLeavesQuantity())
                .setAveragePrice(next.getAveragePrice())
                .setQuantity(reshaped ? next.getQuantity() : null)
                .setPrice(reshaped ? next.getPrice() : null)
                .build();
    }

    /** An event that changes nothing (a cancel of a terminal order, a repeated PLACE): same version, same status. */
    static OrderEvent noOp(OrderState current, OrderEventType type, String detail, Instant now) {
        return noOp(current, type, current.getReasons(), detail, now);
    }

    /** As {@link #noOp(OrderState, OrderEventType, String, Instant)}, naming its own reasons (an amend refused). */
    static OrderEvent noOp(OrderState current, OrderEventType type, List<String> reasons, String detail, Instant now) {
        return OrderEvent.newBuilder()
                .setOrderId(current.getOrderId())
                .setType(type)
                .setVersion(current.getVersion())
                .setPreviousStatus(current.getStatus())
                .setStatus(current.getStatus())
                .setAttempts(current.getAttempts())
                .setReasons(List.copyOf(reasons))
                .setExchangeOrderId(current.getExchangeOrderId())
                .setDetail(detail)
                .setOccurredAt(now)
                .setFilledQuantity(current.getFilledQuantity())
                .setLeavesQuantity(current.getLeavesQuantity())
                .setAveragePrice(current.getAveragePrice())
                .build();
    }

    private static OrderState.Builder ended(OrderState state, OrderStatus status, Instant now) {
        return clearPending(next(state, status, now)).setNextAttemptAt(null).setLeavesQuantity(0L);
    }

    private static OrderState.Builder clearPending(OrderState.Builder builder) {
        return builder.setPendingRequest(null).setPendingQuantity(null).setPendingPrice(null);
    }

    private static OrderState.Builder next(OrderState state, OrderStatus status, Instant now) {
        if (isTerminal(state.getStatus())) {
            throw new IllegalStateException(
                    "order " + state.getOrderId() + " is " + state.getStatus() + " and cannot become " + status);
        }
        return bump(state, now).setStatus(status);
    }

    private static OrderState.Builder bump(OrderState state, Instant now) {
        return OrderState.newBuilder(state).setVersion(state.getVersion() + 1).setUpdatedAt(now);
    }

    private static BigDecimal money(BigDecimal value) {
        return value == null ? null : value.setScale(6, RoundingMode.HALF_UP);
    }
}
