package io.orderpipeline.query.query;

import io.orderpipeline.query.view.PositionTotals;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An account's position in one symbol, from its fills (JSON of {@code GET /accounts/{id}/positions}).
 *
 * <p>The convention is the <b>total average cost</b> method: every buy fill is priced at the volume-weighted average
 * of all buy fills, every sell fill at that of all sell fills, and the bought and sold quantities are matched against
 * each other. So {@code averageCost} is the average buy price of a long position, the average sell price of a short
 * one, {@code null} when flat; {@code realizedPnl} is {@code min(buyQuantity, sellQuantity) × (average sell − average
 * buy)}. It depends only on the sums of the fills, never on the order in which the fills of different orders
 * arrived — which no one could define anyway, since an account's orders are spread over partitions and instances.
 * It differs from a running (moving) average cost when a position is reduced and then increased again. Decimals are
 * plain strings at most six decimals (HALF_EVEN), like every price on the read side.
 *
 * @param netQuantity bought minus sold
 * @param fills how many fills went into it
 */
record Position(
        String symbol,
        long netQuantity,
        String averageCost,
        long buyQuantity,
        long sellQuantity,
        String averageBuyPrice,
        String averageSellPrice,
        String realizedPnl,
        long fills) {

    private static final int SCALE = 6;

    static Position of(PositionTotals totals) {
        BigDecimal averageBuy = average(totals.buyNotional(), totals.buyQuantity());
        BigDecimal averageSell = average(totals.sellNotional(), totals.sellQuantity());
        long net = totals.buyQuantity() - totals.sellQuantity();
        BigDecimal averageCost = net > 0 ? averageBuy : net < 0 ? averageSell : null;
        long matched = Math.min(totals.buyQuantity(), totals.sellQuantity());
        BigDecimal realized = matched == 0
                ? BigDecimal.ZERO
                : averageSell.subtract(averageBuy).multiply(BigDecimal.valueOf(matched));
        return new Position(
                totals.symbol(),
                net,
                plain(averageCost),
                totals.buyQuantity(),
                totals.sellQuantity(),
                plain(averageBuy),
                plain(averageSell),
                plain(realized),
                totals.fills());
    }

    private static BigDecimal average(BigDecimal notional, long quantity) {
        return quantity == 0 ? null : notional.divide(BigDecimal.valueOf(quantity), SCALE, RoundingMode.HALF_EVEN);
    }

    private static String plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal rounded = value.setScale(SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return rounded.signum() == 0 ? "0" : rounded.toPlainString();
    }
}
