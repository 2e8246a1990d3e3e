package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * The sums of one account's fills in one symbol, over some of its orders. Sums, not a running position: they add up
 * in any order, so the partial totals of every partition (each instance holds some of an account's orders, because
 * {@code orders.state} is keyed by order id) merge into the account's totals exactly, whichever instance computed
 * which part and in whatever order the fills of different orders arrived.
 *
 * @param buyNotional sum of quantity × price of the buy fills
 * @param sellNotional sum of quantity × price of the sell fills
 * @param fills how many fills were summed
 */
public record PositionTotals(
        String symbol,
        long buyQuantity,
        BigDecimal buyNotional,
        long sellQuantity,
        BigDecimal sellNotional,
        long fills) {

    public PositionTotals {
        Objects.requireNonNull(symbol, "symbol");
        buyNotional = buyNotional == null ? BigDecimal.ZERO : buyNotional;
        sellNotional = sellNotional == null ? BigDecimal.ZERO : sellNotional;
    }

    static PositionTotals empty(String symbol) {
        return new PositionTotals(symbol, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, 0);
    }

    /** Both parts together (of one symbol). */
    public PositionTotals plus(PositionTotals other) {
        if (!symbol.equals(other.symbol)) {
            throw new IllegalArgumentException("cannot add " + other.symbol + " to " + symbol);
        }
        return new PositionTotals(
                symbol,
                buyQuantity + other.buyQuantity,
                buyNotional.add(other.buyNotional),
                sellQuantity + other.sellQuantity,
                sellNotional.add(other.sellNotional),
                fills + other.fills);
    }

    /** Adds the fills of {@code order} to {@code bySymbol} (nothing for an order without fills). */
    static void addFills(OrderState order, Map<String, PositionTotals> bySymbol) {
        if (order.getFills() == null || order.getFills().isEmpty()) {
            return;
        }
        boolean buy = order.getSide() == Side.BUY;
        long quantity = 0;
        BigDecimal notional = BigDecimal.ZERO;
        for (Fill fill : order.getFills()) {
            quantity += fill.getQuantity();
            notional = notional.add(fill.getPrice().multiply(BigDecimal.valueOf(fill.getQuantity())));
        }
        PositionTotals part = buy
                ? new PositionTotals(
                        order.getSymbol(),
                        quantity,
                        notional,
                        0,
                        BigDecimal.ZERO,
                        order.getFills().size())
                : new PositionTotals(
                        order.getSymbol(),
                        0,
                        BigDecimal.ZERO,
                        quantity,
                        notional,
                        order.getFills().size());
        bySymbol.merge(order.getSymbol(), part, PositionTotals::plus);
    }
}
