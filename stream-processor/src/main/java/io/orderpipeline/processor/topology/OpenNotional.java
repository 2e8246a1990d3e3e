package io.orderpipeline.processor.topology;

import io.orderpipeline.schemas.avro.OrderState;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The notional an open order holds against its account, as a pure function: what is still open times its price. A
 * fill or a partial cancel makes it smaller, an amend bigger or smaller; an amend waiting for the venue holds the
 * larger of the two shapes, so the limit check at the request stays true whatever the venue answers. A MARKET order
 * has no price: it keeps the unit price it reserved with (the instrument's reference price), taken from what it holds.
 */
final class OpenNotional {

    private OpenNotional() {}

    /**
     * @param before the order before the change
     * @param after the order after it (not ended)
     * @param reserved what the order holds now
     */
    static BigDecimal target(OrderState before, OrderState after, BigDecimal reserved) {
        BigDecimal unit = after.getPrice() != null ? after.getPrice() : unit(before, reserved);
        BigDecimal target = unit.multiply(BigDecimal.valueOf(OrderTransitions.open(after)));
        if (OrderTransitions.AMEND.equals(after.getPendingRequest()) && after.getPendingQuantity() != null) {
            BigDecimal pendingUnit = after.getPendingPrice() != null ? after.getPendingPrice() : unit;
            long pendingOpen = Math.max(0, after.getPendingQuantity() - after.getFilledQuantity());
            target = target.max(pendingUnit.multiply(BigDecimal.valueOf(pendingOpen)));
        }
        return target.setScale(6, RoundingMode.HALF_UP);
    }

    private static BigDecimal unit(OrderState before, BigDecimal reserved) {
        long open = OrderTransitions.open(before);
        if (OrderTransitions.AMEND.equals(before.getPendingRequest()) && before.getPendingQuantity() != null) {
            open = Math.max(open, before.getPendingQuantity() - before.getFilledQuantity());
        }
        return open <= 0 ? BigDecimal.ZERO : reserved.divide(BigDecimal.valueOf(open), 12, RoundingMode.HALF_EVEN);
    }
}
