package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.validation.OrderValidator;
import io.orderpipeline.processor.validation.RejectionReason;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an AMEND may go to the venue, as a pure function of the order's state, the command and the instrument. The
 * same instrument checks as a new order (lot, tick, band, maximum quantity), plus what only an amend has: the order
 * must be acknowledged and not ended, no other request may be waiting for the venue, a price only for a LIMIT order,
 * the new quantity above what is filled, and something must change. The account limit, with the notional difference,
 * is the ledger's check and comes after these.
 */
final class Amendments {

    private Amendments() {}

    /** The quantity and price the order would have; {@code price} is {@code null} for a MARKET order. */
    record Target(long quantity, BigDecimal price) {}

    /** The quantity and price the command asks for: 0 / {@code null} keep the order's. */
    static Target target(OrderState state, OrderCommand command) {
        long quantity = command.getQuantity() != 0 ? command.getQuantity() : state.getQuantity();
        BigDecimal price =
                command.getPrice() != null ? command.getPrice().setScale(6, RoundingMode.HALF_UP) : state.getPrice();
        return new Target(quantity, price);
    }

    /** @return the reasons to refuse the amend ({@link RejectionReason} names); empty if it may be sent */
    static List<String> validate(
            OrderState state, OrderCommand command, Instrument instrument, OrderValidator validator) {
        List<String> reasons = new ArrayList<>();
        if (OrderTransitions.isTerminal(state.getStatus())) {
            return List.of(RejectionReason.ORDER_NOT_LIVE.name());
        }
        if (!OrderTransitions.isLive(state.getStatus())) {
            return List.of(RejectionReason.ORDER_NOT_ACKNOWLEDGED.name());
        }
        if (state.getPendingRequest() != null) {
            return List.of(RejectionReason.REQUEST_PENDING.name());
        }
        Target target = target(state, command);
        if (command.getQuantity() != 0) {
            validator.checkQuantity(target.quantity(), instrument, reasons);
            if (reasons.isEmpty() && target.quantity() <= state.getFilledQuantity()) {
                reasons.add(RejectionReason.QUANTITY_NOT_ABOVE_FILLED.name());
            }
        }
        if (command.getPrice() != null) {
            if (state.getOrderType() != OrderType.LIMIT) {
                reasons.add(RejectionReason.PRICE_NOT_ALLOWED.name());
            } else {
                validator.checkLimitPrice(target.price(), instrument, reasons);
            }
        }
        if (reasons.isEmpty() && target.quantity() == state.getQuantity() && samePrice(target.price(), state)) {
            reasons.add(RejectionReason.NOTHING_TO_AMEND.name());
        }
        return List.copyOf(reasons);
    }

    private static boolean samePrice(BigDecimal price, OrderState state) {
        return price == null
                ? state.getPrice() == null
                : state.getPrice() != null && price.compareTo(state.getPrice()) == 0;
    }
}
