package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shape of an order's state on the read side, the same on REST and STOMP. Field names are the wire contract
 * ({@code docs/ARCHITECTURE.md}); instants are ISO-8601 strings, {@code price} a plain decimal string ({@code null} for
 * MARKET orders), and so is every other decimal ({@code averagePrice}, a fill's {@code price}, {@code pendingPrice}):
 * a JSON number would lose digits in a JavaScript client.
 *
 * @param filledQuantity sum of the fills' quantities
 * @param leavesQuantity quantity still open at the venue; {@code null} until the venue reported it
 * @param averagePrice volume-weighted price of the fills; {@code null} before the first fill
 * @param fills every fill in the order the venue reported them, each execution id once
 * @param pendingRequest {@code CANCEL} or {@code AMEND} sent to the venue and not answered yet, else {@code null}
 */
public record OrderView(
        String orderId,
        String accountId,
        String clientOrderId,
        String symbol,
        String side,
        String orderType,
        long quantity,
        String price,
        String status,
        long version,
        int attempts,
        List<String> reasons,
        String exchangeOrderId,
        String nextAttemptAt,
        String lastError,
        String createdAt,
        String updatedAt,
        long filledQuantity,
        Long leavesQuantity,
        String averagePrice,
        List<FillView> fills,
        String pendingRequest,
        Long pendingQuantity,
        String pendingPrice) {

    public OrderView {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        fills = fills == null ? List.of() : List.copyOf(fills);
    }

    /**
     * One execution at the venue.
     *
     * @param executionId the venue's ExecID
     * @param price a plain decimal string
     * @param executedAt ISO-8601
     */
    public record FillView(String executionId, long quantity, String price, String executedAt) {

        static FillView from(Fill fill) {
            return new FillView(
                    fill.getExecutionId(), fill.getQuantity(), plain(fill.getPrice()), iso(fill.getExecutedAt()));
        }
    }

    public static OrderView from(OrderState state) {
        return new OrderView(
                state.getOrderId(),
                state.getAccountId(),
                state.getClientOrderId(),
                state.getSymbol(),
                String.valueOf(state.getSide()),
                String.valueOf(state.getOrderType()),
                state.getQuantity(),
                plain(state.getPrice()),
                String.valueOf(state.getStatus()),
                state.getVersion(),
                state.getAttempts(),
                state.getReasons() == null
                        ? List.of()
                        : state.getReasons().stream().map(String::valueOf).toList(),
                state.getExchangeOrderId(),
                iso(state.getNextAttemptAt()),
                state.getLastError(),
                iso(state.getCreatedAt()),
                iso(state.getUpdatedAt()),
                state.getFilledQuantity(),
                state.getLeavesQuantity(),
                plain(state.getAveragePrice()),
                state.getFills() == null
                        ? List.of()
                        : state.getFills().stream().map(FillView::from).toList(),
                state.getPendingRequest(),
                state.getPendingQuantity(),
                plain(state.getPendingPrice()));
    }

    /** Creation time in epoch milliseconds, the primary sort key of every listing. */
    public long createdAtMillis() {
        return createdAt == null ? 0L : Instant.parse(createdAt).toEpochMilli();
    }

    private static String plain(BigDecimal price) {
        return price == null ? null : price.stripTrailingZeros().toPlainString();
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
