package io.orderpipeline.processor.topology;

import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * What one venue report does to an order, as a pure function: {@code decide(state, report) -> decision}. No stores, no
 * Kafka; {@code OrderLifecycleProcessor} applies the decision (state, event, ledger, retries).
 *
 * <p>Reports arrive at least once and, when they came through different FIX sessions, not necessarily in the venue's
 * order. So every decision is idempotent and tolerant of order:
 *
 * <ul>
 *   <li>A fill whose executionId the order already holds is ignored ({@code EXECUTION_IGNORED}, no new version).
 *   <li>Every other report is ignored when it would change nothing: a second NEW for a placed order, a CANCELED for a
 *       cancelled one, a REJECTED for an order that is not waiting for an attempt's answer.
 *   <li>A cancel that overtook its order (the venue answers "unknown order" and keeps a tombstone that refuses the
 *       order later) ends it {@code CANCELLED}, as does the venue's refusal of an order whose cancel is pending.
 *   <li>A fill before the order's NEW places and fills it. A fill after the order ended (cancelled, expired, even
 *       failed after its last attempt timed out) is still recorded: the status stays, the version grows by one, the
 *       event is {@code PARTIALLY_FILLED} or {@code FILLED} with the fill and a detail naming the late arrival; the
 *       account's notional was released when the order ended. So the sum of the fills is always
 *       {@code filledQuantity}, whatever the order of the reports.
 * </ul>
 */
final class Executions {

    private Executions() {}

    /** What the processor does with a report. */
    sealed interface Decision {}

    /** Nothing changes; recorded as {@code EXECUTION_IGNORED} with {@code detail}. */
    record Ignore(String detail) implements Decision {}

    /**
     * The order goes to {@code next}.
     *
     * @param answersAttempt the report answers the placement attempt in flight (its timeout no longer applies)
     */
    record Apply(OrderState next, OrderEventType type, String detail, Fill fill, boolean answersAttempt)
            implements Decision {}

    /** The venue refused the attempt in flight: a transient failure (retry tiers) or a fatal one (FAILED, DLT). */
    record AttemptRejected(boolean retryable, String description) implements Decision {}

    static Decision decide(OrderState state, ExecutionReport report, Instant now) {
        Objects.requireNonNull(state, "state");
        ExecutionType type = report.getType() == null ? ExecutionType.ORDER_STATUS : report.getType();
        return switch (type) {
            case TRADE -> trade(state, report, now);
            case NEW, ORDER_STATUS -> acknowledged(state, report, now);
            case REJECTED -> rejected(state, report, now);
            case CANCELED -> endedByVenue(state, report, OrderStatus.CANCELLED, OrderEventType.CANCELLED, now);
            case EXPIRED -> endedByVenue(state, report, OrderStatus.EXPIRED, OrderEventType.EXPIRED, now);
            case REPLACED -> replaced(state, report, now);
            case CANCEL_REJECTED ->
                refused(state, report, OrderTransitions.CANCEL, OrderEventType.CANCEL_REJECTED, now);
            case REPLACE_REJECTED -> refused(state, report, OrderTransitions.AMEND, OrderEventType.AMEND_REJECTED, now);
        };
    }

    private static Decision trade(OrderState state, ExecutionReport report, Instant now) {
        if (report.getLastQuantity() <= 0 || report.getLastPrice() == null) {
            return new Ignore("TRADE " + report.getExecutionId() + " without quantity or price");
        }
        boolean known =
                state.getFills().stream().anyMatch(f -> f.getExecutionId().equals(report.getExecutionId()));
        if (known) {
            return new Ignore("execution " + report.getExecutionId() + " already recorded");
        }
        Fill fill = new Fill(
                report.getExecutionId(),
                report.getLastQuantity(),
                report.getLastPrice().setScale(6, RoundingMode.HALF_UP),
                report.getTransactTime());
        boolean awaiting = OrderTransitions.isAwaitingPlacement(state.getStatus());
        int attempts = awaiting ? state.getAttempts() + 1 : state.getAttempts();
        OrderState next = OrderTransitions.filled(state, fill, attempts, report.getVenueOrderId(), now);
        OrderEventType event = next.getFilledQuantity() >= next.getQuantity()
                ? OrderEventType.FILLED
                : OrderEventType.PARTIALLY_FILLED;
        String detail = OrderTransitions.isTerminal(state.getStatus())
                ? "fill after the order ended " + state.getStatus()
                : awaiting ? "fill before the venue's acknowledgement" : null;
        return new Apply(next, event, detail, fill, awaiting);
    }

    private static Decision acknowledged(OrderState state, ExecutionReport report, Instant now) {
        if (!OrderTransitions.isAwaitingPlacement(state.getStatus())) {
            return new Ignore(report.getType() + " for an order already " + state.getStatus());
        }
        boolean status = report.getType() == ExecutionType.ORDER_STATUS;
        if (status && report.getLeavesQuantity() <= 0 && report.getCumulativeQuantity() <= 0) {
            // Not live at the venue and never filled: no acknowledgement. The attempt's timeout decides.
            return new Ignore("ORDER_STATUS: the venue holds no live order");
        }
        OrderState next = OrderTransitions.placed(state, state.getAttempts() + 1, report.getVenueOrderId(), now);
        return new Apply(next, OrderEventType.PLACED, status ? "the venue already held the order" : null, null, true);
    }

    private static Decision rejected(OrderState state, ExecutionReport report, Instant now) {
        if (!OrderTransitions.isAwaitingPlacement(state.getStatus())) {
            return new Ignore("REJECTED for an order already " + state.getStatus());
        }
        String description = "venue rejected the order (execution " + report.getExecutionId() + "): "
                + (report.getReason() == null ? "no reason given" : report.getReason());
        if (state.getLastError() != null && state.getLastError().contains(report.getExecutionId())) {
            return new Ignore("rejection " + report.getExecutionId() + " already counted");
        }
        if (state.getStatus() == OrderStatus.RETRYING
                && state.getNextAttemptAt() != null
                && report.getReceivedAt().isBefore(state.getNextAttemptAt())) {
            // Received before the next attempt was even due: the answer to an earlier attempt, delivered again.
            return new Ignore("rejection " + report.getExecutionId() + " answers an earlier attempt");
        }
        if (!report.getRetryable() && OrderTransitions.CANCEL.equals(state.getPendingRequest())) {
            // The cancel reached the venue first and left a tombstone: the order the user cancelled never went live.
            return new Apply(
                    OrderTransitions.cancelled(state, now),
                    OrderEventType.CANCELLED,
                    "cancelled before the venue took it: " + description,
                    null,
                    true);
        }
        return new AttemptRejected(report.getRetryable(), description);
    }

    private static Decision endedByVenue(
            OrderState state, ExecutionReport report, OrderStatus status, OrderEventType event, Instant now) {
        if (OrderTransitions.isTerminal(state.getStatus())) {
            return new Ignore(report.getType() + " for an order already " + state.getStatus());
        }
        OrderState next = OrderTransitions.endedByVenue(state, status, report.getVenueOrderId(), now);
        String detail = OrderTransitions.CANCEL.equals(state.getPendingRequest()) || status != OrderStatus.CANCELLED
                ? reason(report)
                : "cancelled by the venue" + (report.getReason() == null ? "" : ": " + report.getReason());
        return new Apply(next, event, detail, null, OrderTransitions.isAwaitingPlacement(state.getStatus()));
    }

    private static Decision replaced(OrderState state, ExecutionReport report, Instant now) {
        if (!OrderTransitions.isLive(state.getStatus())) {
            return new Ignore("REPLACED for an order " + state.getStatus());
        }
        long quantity = report.getOrderQuantity() > 0
                ? report.getOrderQuantity()
                : state.getPendingQuantity() != null ? state.getPendingQuantity() : state.getQuantity();
        BigDecimal price = state.getPrice() == null
                ? null
                : report.getPrice() != null
                        ? report.getPrice()
                        : state.getPendingPrice() != null ? state.getPendingPrice() : state.getPrice();
        boolean pending = OrderTransitions.AMEND.equals(state.getPendingRequest());
        boolean same = quantity == state.getQuantity()
                && (price == null ? state.getPrice() == null : price.compareTo(state.getPrice()) == 0);
        if (!pending && same) {
            return new Ignore("REPLACED " + report.getExecutionId() + " changes nothing");
        }
        return new Apply(
                OrderTransitions.amended(state, quantity, price, now),
                OrderEventType.AMENDED,
                "replaced by " + report.getClientRequestId(),
                null,
                false);
    }

    private static Decision refused(
            OrderState state, ExecutionReport report, String request, OrderEventType event, Instant now) {
        if (!request.equals(state.getPendingRequest())) {
            return new Ignore(report.getType() + " without a pending " + request);
        }
        String reason = reason(report);
        boolean unknownAtVenue = report.getVenueOrderId() == null || "NONE".equals(report.getVenueOrderId());
        if (OrderTransitions.CANCEL.equals(request)
                && OrderTransitions.isAwaitingPlacement(state.getStatus())
                && unknownAtVenue) {
            // The cancel overtook the order: the venue never had it and now holds a tombstone that refuses it, so the
            // order can never go live. Waiting for that refusal (or for the attempt's timeout) would end it FAILED.
            return new Apply(
                    OrderTransitions.cancelled(state, now),
                    OrderEventType.CANCELLED,
                    "cancelled before it reached the venue: " + reason,
                    null,
                    true);
        }
        return new Apply(OrderTransitions.requestRefused(state, reason, now), event, reason, null, false);
    }

    private static String reason(ExecutionReport report) {
        return report.getReason() == null
                ? report.getType() + " " + report.getExecutionId()
                : report.getType() + " " + report.getExecutionId() + ": " + report.getReason();
    }
}
