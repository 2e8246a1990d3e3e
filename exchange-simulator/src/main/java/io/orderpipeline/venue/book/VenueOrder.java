package io.orderpipeline.venue.book;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One order in the book, as the venue holds it (and journals it after every change).
 *
 * @param clOrdId the order's ClOrdID(11) = the pipeline's order id; the book's key
 * @param session the FIX session of the order's latest request: where its reports go
 */
public record VenueOrder(
        String clOrdId,
        String venueOrderId,
        String account,
        String symbol,
        Side side,
        boolean limit,
        long quantity,
        BigDecimal price,
        long cumQty,
        long leavesQty,
        BigDecimal avgPx,
        VenueStatus status,
        String session) {

    static VenueOrder accepted(OrderRequest request, String session) {
        return new VenueOrder(
                request.clOrdId(),
                "V-" + request.clOrdId(),
                request.account(),
                request.symbol(),
                request.side(),
                request.limit(),
                request.quantity(),
                request.price(),
                0,
                request.quantity(),
                BigDecimal.ZERO,
                VenueStatus.NEW,
                session);
    }

    public boolean live() {
        return status.live();
    }

    VenueOrder fill(long lastQty, BigDecimal lastPx) {
        long cum = cumQty + lastQty;
        BigDecimal avg = avgPx.multiply(BigDecimal.valueOf(cumQty))
                .add(lastPx.multiply(BigDecimal.valueOf(lastQty)))
                .divide(BigDecimal.valueOf(cum), 6, RoundingMode.HALF_UP);
        long leaves = quantity - cum;
        return new VenueOrder(
                clOrdId,
                venueOrderId,
                account,
                symbol,
                side,
                limit,
                quantity,
                price,
                cum,
                leaves,
                avg,
                leaves == 0 ? VenueStatus.FILLED : VenueStatus.PARTIALLY_FILLED,
                session);
    }

    VenueOrder canceled(String requestSession) {
        return closed(VenueStatus.CANCELED, requestSession);
    }

    VenueOrder expired() {
        return closed(VenueStatus.EXPIRED, session);
    }

    /** Done at the venue with nothing left open: what was filled stays, leaves go to 0. */
    private VenueOrder closed(VenueStatus status, String lastSession) {
        return new VenueOrder(
                clOrdId,
                venueOrderId,
                account,
                symbol,
                side,
                limit,
                quantity,
                price,
                cumQty,
                0,
                avgPx,
                status,
                lastSession);
    }

    VenueOrder replaced(long newQuantity, BigDecimal newPrice, String requestSession) {
        long leaves = newQuantity - cumQty;
        VenueStatus next =
                leaves == 0 ? VenueStatus.FILLED : cumQty > 0 ? VenueStatus.PARTIALLY_FILLED : VenueStatus.NEW;
        return new VenueOrder(
                clOrdId,
                venueOrderId,
                account,
                symbol,
                side,
                limit,
                newQuantity,
                limit && newPrice != null ? newPrice : price,
                cumQty,
                leaves,
                avgPx,
                next,
                requestSession);
    }

    VenueOrder routedTo(String requestSession) {
        return new VenueOrder(
                clOrdId,
                venueOrderId,
                account,
                symbol,
                side,
                limit,
                quantity,
                price,
                cumQty,
                leavesQty,
                avgPx,
                status,
                requestSession);
    }

    /** Whether it can trade at {@code market}: market orders always; a limit when the market reached it. */
    boolean marketable(BigDecimal market) {
        if (!limit) {
            return true;
        }
        return side == Side.BUY ? market.compareTo(price) <= 0 : market.compareTo(price) >= 0;
    }

    /** The execution price at {@code market}: the market price, never worse than the limit. */
    BigDecimal executionPrice(BigDecimal market) {
        if (!limit) {
            return market;
        }
        return side == Side.BUY ? market.min(price) : market.max(price);
    }
}
