package io.orderpipeline.processor.testing;

import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;

/**
 * Test data: {@code OrderCommand}s with sensible defaults (a LIMIT BUY of 10 AAPL at 187.25 for account acc-1).
 *
 * <pre>{@code
 * OrderCommand order = OrderCommands.place("o-1").account("acc-7").symbol("MSFT").sell(5).limit("419.50").build();
 * OrderCommand market = OrderCommands.place("o-2").market().build();
 * OrderCommand cancel = OrderCommands.cancel("o-1");
 * OrderCommand amend = OrderCommands.amend("o-1", 20, "187.30");   // new quantity (0: keep), new limit (null: keep)
 * }</pre>
 */
public final class OrderCommands {

    private OrderCommands() {}

    public static Place place(String orderId) {
        return new Place(orderId);
    }

    public static OrderCommand cancel(String orderId) {
        return OrderCommand.newBuilder()
                .setCommandId("cancel-" + orderId + "-" + UUID.randomUUID())
                .setType(CommandType.CANCEL)
                .setOrderId(orderId)
                .setRequestedAt(Instant.ofEpochMilli(0))
                .build();
    }

    /** An AMEND of {@code orderId} to {@code quantity} (0: keep) and limit {@code price} ({@code null}: keep). */
    public static OrderCommand amend(String orderId, long quantity, String price) {
        return OrderCommand.newBuilder()
                .setCommandId("amend-" + orderId + "-" + UUID.randomUUID())
                .setType(CommandType.AMEND)
                .setOrderId(orderId)
                .setQuantity(quantity)
                .setPrice(price == null ? null : money(price))
                .setRequestedAt(Instant.ofEpochMilli(0))
                .build();
    }

    /** An operator's REPLAY of {@code orderId}, as ingest-api writes it: no account, {@code principal} who asks. */
    public static OrderCommand replay(String orderId, String principal) {
        return OrderCommand.newBuilder()
                .setCommandId("replay-" + orderId + "-" + UUID.randomUUID())
                .setType(CommandType.REPLAY)
                .setOrderId(orderId)
                .setPrincipal(principal)
                .setRequestedAt(Instant.ofEpochMilli(0))
                .build();
    }

    /** A CANCEL that names the order's account too, so it can be keyed by the account on a multi-partition topic. */
    public static OrderCommand cancel(String orderId, String accountId) {
        OrderCommand cancel = cancel(orderId);
        cancel.setAccountId(accountId);
        return cancel;
    }

    /**
     * The record key that puts {@code command} into its account's partition: the accountId when the command names it
     * (every PLACE), else the orderId (a CANCEL that relies on the route its order id carries).
     */
    public static String key(OrderCommand command) {
        return command.getAccountId() != null ? command.getAccountId() : command.getOrderId();
    }

    /** Builder of a PLACE command. */
    public static final class Place {

        private final OrderCommand.Builder command;

        private Place(String orderId) {
            command = OrderCommand.newBuilder()
                    .setCommandId("place-" + orderId)
                    .setType(CommandType.PLACE)
                    .setOrderId(orderId)
                    .setAccountId("acc-1")
                    .setClientOrderId("c-" + orderId)
                    .setSymbol("AAPL")
                    .setSide(Side.BUY)
                    .setOrderType(OrderType.LIMIT)
                    .setQuantity(10)
                    .setPrice(money("187.25"))
                    .setRequestedAt(Instant.ofEpochMilli(0));
        }

        public Place account(String accountId) {
            command.setAccountId(accountId);
            return this;
        }

        public Place clientOrderId(String clientOrderId) {
            command.setClientOrderId(clientOrderId);
            return this;
        }

        public Place symbol(String symbol) {
            command.setSymbol(symbol);
            return this;
        }

        public Place buy(long quantity) {
            command.setSide(Side.BUY).setQuantity(quantity);
            return this;
        }

        public Place sell(long quantity) {
            command.setSide(Side.SELL).setQuantity(quantity);
            return this;
        }

        public Place limit(String price) {
            command.setOrderType(OrderType.LIMIT).setPrice(price == null ? null : money(price));
            return this;
        }

        /** Sets the price without changing the order type (for invalid combinations). */
        public Place price(String price) {
            command.setPrice(price == null ? null : money(price));
            return this;
        }

        public Place market() {
            command.setOrderType(OrderType.MARKET).setPrice(null);
            return this;
        }

        public Place commandId(String commandId) {
            command.setCommandId(commandId);
            return this;
        }

        public OrderCommand build() {
            return command.build();
        }
    }

    private static BigDecimal money(String value) {
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_UP);
    }
}
