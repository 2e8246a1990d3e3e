package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.OrderState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shape of an order's state on the read side, the same on REST and STOMP. Field names are the wire contract
 * ({@code docs/ARCHITECTURE.md}); instants are ISO-8601 strings, {@code price} a plain decimal string ({@code null} for
 * MARKET orders).
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
        String updatedAt) {

    public OrderView {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
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
                iso(state.getUpdatedAt()));
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
