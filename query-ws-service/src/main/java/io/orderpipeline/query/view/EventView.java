package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.OrderEvent;
import java.math.BigDecimal;
import java.util.List;

/**
 * The JSON shape of one event of an order's history ({@code GET /orders/{id}/events}); decimals are plain strings and
 * instants ISO-8601, as in {@link OrderView}.
 *
 * @param version the order's version after the event (a no-op event keeps the version it found)
 * @param previousStatus status before the event, {@code null} for the first
 * @param fill the execution of a PARTIALLY_FILLED or FILLED event, else {@code null}
 * @param quantity order quantity after an AMENDED event, else {@code null}
 * @param price limit price after an AMENDED event, else {@code null}
 * @param principal who asked for it (a cancel, an amend, an operator's replay), else {@code null}
 */
public record EventView(
        String orderId,
        long version,
        String type,
        String occurredAt,
        String previousStatus,
        String status,
        int attempts,
        List<String> reasons,
        String detail,
        String exchangeOrderId,
        OrderView.FillView fill,
        long filledQuantity,
        Long leavesQuantity,
        String averagePrice,
        Long quantity,
        String price,
        String principal) {

    public EventView {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public static EventView from(OrderEvent event) {
        return new EventView(
                event.getOrderId(),
                event.getVersion(),
                String.valueOf(event.getType()),
                event.getOccurredAt() == null ? null : event.getOccurredAt().toString(),
                event.getPreviousStatus() == null
                        ? null
                        : event.getPreviousStatus().name(),
                String.valueOf(event.getStatus()),
                event.getAttempts(),
                event.getReasons() == null
                        ? List.of()
                        : event.getReasons().stream().map(String::valueOf).toList(),
                event.getDetail(),
                event.getExchangeOrderId(),
                event.getFill() == null ? null : OrderView.FillView.from(event.getFill()),
                event.getFilledQuantity(),
                event.getLeavesQuantity(),
                plain(event.getAveragePrice()),
                event.getQuantity(),
                plain(event.getPrice()),
                event.getPrincipal());
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }
}
