package io.orderpipeline.processor.topology;

import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * The order state machine as pure functions. Every transition returns a state whose version is exactly one more than
 * its predecessor's; a no-op event keeps the version of the state it refers to.
 */
final class OrderTransitions {

    private OrderTransitions() {}

    static boolean isTerminal(OrderStatus status) {
        return status == OrderStatus.PLACED
                || status == OrderStatus.REJECTED
                || status == OrderStatus.FAILED
                || status == OrderStatus.CANCELLED;
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
                .setPrice(command.getPrice() == null ? null : command.getPrice().setScale(6, RoundingMode.HALF_UP))
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

    static OrderState placed(OrderState state, int attempts, String exchangeOrderId, Instant now) {
        return next(state, OrderStatus.PLACED, now)
                .setAttempts(attempts)
                .setExchangeOrderId(exchangeOrderId)
                .setNextAttemptAt(null)
                .build();
    }

    static OrderState failed(OrderState state, int attempts, String reason, String error, Instant now) {
        return next(state, OrderStatus.FAILED, now)
                .setAttempts(attempts)
                .setReasons(List.of(reason))
                .setNextAttemptAt(null)
                .setLastError(error)
                .build();
    }

    static OrderState cancelled(OrderState state, Instant now) {
        return next(state, OrderStatus.CANCELLED, now).setNextAttemptAt(null).build();
    }

    /** The event that records the transition from {@code previous} (null for a new order) to {@code next}. */
    static OrderEvent event(OrderState previous, OrderState next, OrderEventType type, String detail) {
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
                .build();
    }

    /** An event that changes nothing (a cancel of a terminal order, a repeated PLACE): same version, same status. */
    static OrderEvent noOp(OrderState current, OrderEventType type, String detail, Instant now) {
        return OrderEvent.newBuilder()
                .setOrderId(current.getOrderId())
                .setType(type)
                .setVersion(current.getVersion())
                .setPreviousStatus(current.getStatus())
                .setStatus(current.getStatus())
                .setAttempts(current.getAttempts())
                .setReasons(current.getReasons())
                .setExchangeOrderId(current.getExchangeOrderId())
                .setDetail(detail)
                .setOccurredAt(now)
                .build();
    }

    private static OrderState.Builder next(OrderState state, OrderStatus status, Instant now) {
        if (isTerminal(state.getStatus())) {
            throw new IllegalStateException(
                    "order " + state.getOrderId() + " is " + state.getStatus() + " and cannot become " + status);
        }
        return OrderState.newBuilder(state)
                .setStatus(status)
                .setVersion(state.getVersion() + 1)
                .setUpdatedAt(now);
    }
}
