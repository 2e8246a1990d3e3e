package io.orderpipeline.venue.book;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One answer of the venue, before it becomes a FIX message: an ExecutionReport(8) or, for {@link
 * ExecKind#CANCEL_REJECT}, an OrderCancelReject(9).
 *
 * @param session the FIX session it goes to
 * @param clOrdId ClOrdID(11): the order id, or the cancel/replace request's id
 * @param origClOrdId OrigClOrdID(41) for answers to a cancel/replace request, else {@code null}
 * @param rejectReason OrdRejReason(103) of a REJECTED, CxlRejReason(102) of a CANCEL_REJECT, else {@code null}
 * @param replaceRejected CxlRejResponseTo(434) = 2 (a replace) rather than 1 (a cancel)
 */
public record Report(
        String session,
        ExecKind kind,
        String execId,
        String clOrdId,
        String origClOrdId,
        String venueOrderId,
        String account,
        String symbol,
        Side side,
        VenueStatus ordStatus,
        long orderQty,
        BigDecimal price,
        long lastQty,
        BigDecimal lastPx,
        long cumQty,
        long leavesQty,
        BigDecimal avgPx,
        Integer rejectReason,
        boolean replaceRejected,
        String text,
        Instant transactTime) {

    /** An ExecutionReport about {@code order} (lastQty/lastPx only for a TRADE). */
    static Report of(
            ExecKind kind,
            String execId,
            VenueOrder order,
            String clOrdId,
            String origClOrdId,
            long lastQty,
            BigDecimal lastPx) {
        return new Report(
                order.session(),
                kind,
                execId,
                clOrdId,
                origClOrdId,
                order.venueOrderId(),
                order.account(),
                order.symbol(),
                order.side(),
                order.status(),
                order.quantity(),
                order.price(),
                lastQty,
                lastPx,
                order.cumQty(),
                order.leavesQty(),
                order.avgPx(),
                null,
                false,
                null,
                Instant.now());
    }

    /** A REJECTED ExecutionReport for an order that never entered the book. */
    static Report rejected(String execId, OrderRequest request, String session, int reason, String text) {
        return new Report(
                session,
                ExecKind.REJECTED,
                execId,
                request.clOrdId(),
                null,
                "NONE",
                request.account(),
                request.symbol(),
                request.side(),
                VenueStatus.REJECTED,
                request.quantity(),
                request.price(),
                0,
                null,
                0,
                0,
                BigDecimal.ZERO,
                reason,
                false,
                text,
                Instant.now());
    }

    /** An OrderCancelReject for {@code request}. */
    static Report cancelRejected(AmendRequest request, VenueOrder order, String session, int reason, String text) {
        return new Report(
                session,
                ExecKind.CANCEL_REJECT,
                request.requestId() + ":reject",
                request.requestId(),
                request.orderId(),
                order == null ? "NONE" : order.venueOrderId(),
                request.account(),
                order == null ? null : order.symbol(),
                order == null ? null : order.side(),
                order == null ? VenueStatus.REJECTED : order.status(),
                0,
                null,
                0,
                null,
                0,
                0,
                null,
                reason,
                request.replace(),
                text,
                Instant.now());
    }

    /** The same answer again, to another session (a repeated request). */
    Report to(String otherSession) {
        return new Report(
                otherSession,
                kind,
                execId,
                clOrdId,
                origClOrdId,
                venueOrderId,
                account,
                symbol,
                side,
                ordStatus,
                orderQty,
                price,
                lastQty,
                lastPx,
                cumQty,
                leavesQty,
                avgPx,
                rejectReason,
                replaceRejected,
                text,
                transactTime);
    }

    /** Whether repeating this request should repeat this answer (a refusal) rather than report the order's status. */
    boolean refusal() {
        return kind == ExecKind.REJECTED || kind == ExecKind.CANCEL_REJECT;
    }
}
