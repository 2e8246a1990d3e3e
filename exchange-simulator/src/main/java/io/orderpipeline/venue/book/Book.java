package io.orderpipeline.venue.book;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The venue's book: every order it accepted (by ClOrdID = the pipeline's order id), the answer given to every other
 * request id, and the tombstones of orders cancelled before they arrived. It decides; it does not schedule or send
 * (that is {@link VenueEngine}). Every change is journaled before the answer is returned.
 *
 * <p>Idempotency by ClOrdID, whichever session asks: a NewOrderSingle for a known order id gets an ORDER_STATUS
 * with the order's current state (and moves the order's reports to the asking session); a repeated cancel/replace id
 * gets ORDER_STATUS of the order, or its original reject again; a repeated id whose first answer was a fatal reject
 * gets that reject again. Only the injected retryable failure does not record the id.
 *
 * <p>ExecIDs are {@code <runId>-<n>}: the run id is the venue's start time, so ids stay unique across restarts
 * without journaling a counter.
 */
public final class Book {

    /** OrdRejReason(103) values the venue uses. */
    public static final int UNKNOWN_SYMBOL = 1;

    public static final int EXCHANGE_CLOSED = 2;
    public static final int OTHER = 99;

    /** CxlRejReason(102) values. */
    public static final int TOO_LATE_TO_CANCEL = 0;

    public static final int UNKNOWN_ORDER = 1;

    /** What the faults decided for a fresh new order. */
    public enum Injected {
        NONE,
        FAILURE,
        REJECT
    }

    private final Journal journal;
    private final Market market;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, VenueOrder> orders = new LinkedHashMap<>();
    /**
     * The live orders, in arrival order: the engine walks them at every market tick, and a venue that ran for a while
     * holds far more finished orders than live ones (scanning all of them was the venue's hottest method under load).
     */
    private final Map<String, VenueOrder> live = new LinkedHashMap<>();

    private final Map<String, Report> answers = new HashMap<>();
    private final Set<String> tombstones = new HashSet<>();
    private long execSeq;

    public Book(Journal journal, Market market) {
        this.journal = journal;
        this.market = market;
        for (Journal.Entry entry : journal.replay()) {
            if (entry.order() != null) {
                put(entry.order());
            } else if (entry.answer() != null) {
                answers.put(entry.answer().clOrdId(), entry.answer());
            } else if (entry.tombstone() != null) {
                tombstones.add(entry.tombstone());
            }
        }
    }

    public synchronized List<Report> newOrder(OrderRequest request, String session, Supplier<Injected> faults) {
        String id = request.clOrdId();
        VenueOrder known = orders.get(id);
        if (known != null) {
            return List.of(status(record(known.routedTo(session)), id, null));
        }
        Report earlier = answers.get(id);
        if (earlier != null) {
            return List.of(earlier.to(session));
        }
        if (tombstones.contains(id)) {
            return List.of(answer(Report.rejected(
                    nextExecId(), request, session, OTHER, "order was cancelled before it reached the venue")));
        }
        if (!market.known(request.symbol())) {
            return List.of(answer(Report.rejected(
                    nextExecId(), request, session, UNKNOWN_SYMBOL, "unknown symbol " + request.symbol())));
        }
        if (request.quantity() <= 0
                || (request.limit()
                        && (request.price() == null || request.price().signum() <= 0))) {
            return List.of(answer(Report.rejected(nextExecId(), request, session, OTHER, "invalid quantity or price")));
        }
        switch (faults.get()) {
            case FAILURE -> {
                // not recorded: the id stays free, a retry may succeed
                return List.of(
                        Report.rejected(nextExecId(), request, session, EXCHANGE_CLOSED, "exchange closed (injected)"));
            }
            case REJECT -> {
                return List.of(answer(Report.rejected(nextExecId(), request, session, OTHER, "rejected (injected)")));
            }
            case NONE -> {}
        }
        VenueOrder order = record(VenueOrder.accepted(request, session));
        return List.of(Report.of(ExecKind.NEW, nextExecId(), order, id, null, 0, null));
    }

    /** An OrderCancelRequest or OrderCancelReplaceRequest. */
    public synchronized List<Report> amend(AmendRequest request, String session) {
        String id = request.requestId();
        Report earlier = answers.get(id);
        if (earlier != null) {
            if (earlier.refusal()) {
                return List.of(earlier.to(session));
            }
            VenueOrder order = orders.get(request.orderId());
            return List.of(status(order.routedTo(session), id, request.orderId()));
        }
        VenueOrder order = orders.get(request.orderId());
        if (order == null) {
            if (!request.replace() && tombstones.add(request.orderId())) {
                journal.append(new Journal.Entry(null, null, request.orderId()));
            }
            return List.of(answer(Report.cancelRejected(request, null, session, UNKNOWN_ORDER, "unknown order")));
        }
        if (!order.live()) {
            return List.of(answer(Report.cancelRejected(
                    request, order, session, TOO_LATE_TO_CANCEL, "too late: order is " + order.status())));
        }
        if (request.replace()) {
            if (request.quantity() < order.cumQty()) {
                return List.of(answer(Report.cancelRejected(
                        request, order, session, OTHER, "new quantity below the filled " + order.cumQty())));
            }
            VenueOrder replaced = record(order.replaced(request.quantity(), request.price(), session));
            return List.of(
                    answer(Report.of(ExecKind.REPLACED, nextExecId(), replaced, id, request.orderId(), 0, null)));
        }
        VenueOrder canceled = record(order.canceled(session));
        return List.of(answer(Report.of(ExecKind.CANCELED, nextExecId(), canceled, id, request.orderId(), 0, null)));
    }

    /** One execution of a live order; empty if it is no longer live. */
    public synchronized Optional<Report> fill(String orderId, long quantity, BigDecimal price) {
        VenueOrder order = orders.get(orderId);
        if (order == null || !order.live() || quantity <= 0) {
            return Optional.empty();
        }
        VenueOrder filled = record(order.fill(Math.min(quantity, order.leavesQty()), price));
        return Optional.of(Report.of(
                ExecKind.TRADE, nextExecId(), filled, orderId, null, filled.cumQty() - order.cumQty(), price));
    }

    /** Expires a live order (ExecType C, leaves 0), as a venue does at the end of its day; empty if it is not live. */
    public synchronized Optional<Report> expire(String orderId) {
        VenueOrder order = orders.get(orderId);
        if (order == null || !order.live()) {
            return Optional.empty();
        }
        VenueOrder expired = record(order.expired());
        return Optional.of(Report.of(ExecKind.EXPIRED, nextExecId(), expired, orderId, null, 0, null));
    }

    public synchronized Optional<VenueOrder> order(String clOrdId) {
        return Optional.ofNullable(orders.get(clOrdId));
    }

    public synchronized List<VenueOrder> orders() {
        return new ArrayList<>(orders.values());
    }

    public synchronized List<VenueOrder> live() {
        return List.copyOf(live.values());
    }

    /** Orders by status, plus the fatally rejected ids ({@code REJECTED}). */
    public synchronized Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        orders.values().forEach(order -> counts.merge(order.status().name(), 1L, Long::sum));
        answers.values().stream()
                .filter(answer -> answer.kind() == ExecKind.REJECTED)
                .forEach(answer -> counts.merge(VenueStatus.REJECTED.name(), 1L, Long::sum));
        return counts;
    }

    public synchronized Set<String> tombstones() {
        return Set.copyOf(tombstones);
    }

    private VenueOrder record(VenueOrder order) {
        put(order);
        journal.append(new Journal.Entry(order, null, null));
        return order;
    }

    private void put(VenueOrder order) {
        orders.put(order.clOrdId(), order);
        if (order.live()) {
            live.put(order.clOrdId(), order);
        } else {
            live.remove(order.clOrdId());
        }
    }

    private Report answer(Report report) {
        answers.put(report.clOrdId(), report);
        journal.append(new Journal.Entry(null, report, null));
        return report;
    }

    private Report status(VenueOrder order, String clOrdId, String origClOrdId) {
        return Report.of(ExecKind.ORDER_STATUS, nextExecId(), order, clOrdId, origClOrdId, 0, null);
    }

    private String nextExecId() {
        return runId + "-" + (++execSeq);
    }
}
