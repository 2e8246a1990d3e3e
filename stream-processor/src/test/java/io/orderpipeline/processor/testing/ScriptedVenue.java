package io.orderpipeline.processor.testing;

import io.orderpipeline.processor.placement.CancelRequest;
import io.orderpipeline.processor.placement.ExchangeAck;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ExchangeUnavailableException;
import io.orderpipeline.processor.placement.PlacementRequest;
import io.orderpipeline.processor.placement.ReplaceRequest;
import io.orderpipeline.processor.placement.RequestOutcome;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import io.orderpipeline.schemas.avro.OrderState;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A venue that answers like one over FIX: requests are only sent ({@link ExchangeAck#sent()},
 * {@link RequestOutcome#SENT}), and the answers are execution reports the test scripts, piped to
 * {@code orders.executions} keyed by the order's account, at the fixture's clock. Get it with
 * {@link OrderTopologyFixture#venue()} from a fixture built with {@link OrderTopologyFixture.Builder#venue()}.
 *
 * <pre>{@code
 * fixture.send(OrderCommands.place("o-1").buy(10).limit("187.25").build());   // PENDING, NewOrderSingle sent
 * fixture.venue().acknowledge("o-1");                                          // NEW      -> PLACED
 * fixture.venue().fill("o-1", 4, "187.20");                                    // TRADE    -> PARTIALLY_FILLED
 * ExecutionReport last = fixture.venue().fill("o-1", 6, "187.25");             // TRADE    -> FILLED
 * fixture.venue().send(last);                                                  // the same ExecID again: ignored
 * fixture.venue().cancelled("o-2");  fixture.venue().rejected("o-3", true);    // CANCELED, REJECTED (retryable)
 * }</pre>
 *
 * <p>Each scripted report gets a fresh executionId ({@code <orderId>-<n>}), the venue order id {@code V-<orderId>}, and
 * cumulative and leaves quantities the venue keeps per order. {@link #send(ExecutionReport)} pipes any report as it
 * is (a repeat, an out-of-order one).
 */
public final class ScriptedVenue implements ExchangeGateway {

    private final Map<String, List<PlacementRequest>> placements = new ConcurrentHashMap<>();
    private final Map<String, List<CancelRequest>> cancels = new ConcurrentHashMap<>();
    private final Map<String, List<ReplaceRequest>> replaces = new ConcurrentHashMap<>();
    private final Map<String, Long> cumulative = new ConcurrentHashMap<>();
    private final AtomicLong executions = new AtomicLong();
    private volatile boolean unreachable;
    private Function<String, OrderState> states;
    private Consumer<ExecutionReport> pipe;
    private MutableClock clock;

    ScriptedVenue() {}

    void connect(Function<String, OrderState> states, Consumer<ExecutionReport> pipe, MutableClock clock) {
        this.states = states;
        this.pipe = pipe;
        this.clock = clock;
    }

    // ----- the gateway side

    @Override
    public CompletionStage<ExchangeAck> place(PlacementRequest request) {
        placements.computeIfAbsent(request.orderId(), id -> new ArrayList<>()).add(request);
        if (unreachable) {
            return CompletableFuture.failedFuture(new ExchangeUnavailableException("scripted: no session"));
        }
        return CompletableFuture.completedFuture(ExchangeAck.sent());
    }

    @Override
    public RequestOutcome cancel(CancelRequest request) {
        cancels.computeIfAbsent(request.orderId(), id -> new ArrayList<>()).add(request);
        if (unreachable) {
            throw new ExchangeUnavailableException("scripted: no session");
        }
        return RequestOutcome.SENT;
    }

    @Override
    public RequestOutcome replace(ReplaceRequest request) {
        replaces.computeIfAbsent(request.orderId(), id -> new ArrayList<>()).add(request);
        if (unreachable) {
            throw new ExchangeUnavailableException("scripted: no session");
        }
        return RequestOutcome.SENT;
    }

    /** While {@code true}, every request fails as if the FIX session were down. */
    public ScriptedVenue unreachable(boolean value) {
        this.unreachable = value;
        return this;
    }

    /** Every NewOrderSingle sent for {@code orderId} (one per attempt). */
    public List<PlacementRequest> placements(String orderId) {
        return List.copyOf(placements.getOrDefault(orderId, List.of()));
    }

    /** Every cancel (or withdrawal) sent for {@code orderId}. */
    public List<CancelRequest> cancels(String orderId) {
        return List.copyOf(cancels.getOrDefault(orderId, List.of()));
    }

    /** Every cancel/replace sent for {@code orderId}. */
    public List<ReplaceRequest> replaces(String orderId) {
        return List.copyOf(replaces.getOrDefault(orderId, List.of()));
    }

    // ----- the reports

    /** ExecType NEW: the venue holds the order. */
    public ExecutionReport acknowledge(String orderId) {
        return send(report(orderId, ExecutionType.NEW).build());
    }

    /** ExecType I: the venue's answer to a ClOrdID it had seen, with the order live. */
    public ExecutionReport orderStatus(String orderId) {
        return send(report(orderId, ExecutionType.ORDER_STATUS).build());
    }

    /** ExecType F: a fill of {@code quantity} at {@code price}. */
    public ExecutionReport fill(String orderId, long quantity, String price) {
        long cum = cumulative.merge(orderId, quantity, Long::sum);
        OrderState state = state(orderId);
        BigDecimal px = money(price);
        return send(report(orderId, ExecutionType.TRADE)
                .setLastQuantity(quantity)
                .setLastPrice(px)
                .setCumulativeQuantity(cum)
                .setLeavesQuantity(Math.max(0, state.getQuantity() - cum))
                .build());
    }

    /** ExecType 4: the order is cancelled at the venue (answer to a cancel, or the venue's own decision). */
    public ExecutionReport cancelled(String orderId) {
        return send(report(orderId, ExecutionType.CANCELED)
                .setLeavesQuantity(0)
                .setClientRequestId(lastCancelId(orderId))
                .build());
    }

    /** ExecType C: the order expired at the venue. */
    public ExecutionReport expired(String orderId) {
        return send(report(orderId, ExecutionType.EXPIRED).setLeavesQuantity(0).build());
    }

    /** ExecType 8: the venue refused the order; {@code retryable} as for OrdRejReason 2 (exchange closed). */
    public ExecutionReport rejected(String orderId, boolean retryable) {
        return send(report(orderId, ExecutionType.REJECTED)
                .setRetryable(retryable)
                .setLeavesQuantity(0)
                .setReason(retryable ? "2 exchange closed" : "99 other")
                .build());
    }

    /** ExecType 5: the last replace sent for {@code orderId} was applied. */
    public ExecutionReport replaced(String orderId) {
        List<ReplaceRequest> sent = replaces(orderId);
        if (sent.isEmpty()) {
            throw new IllegalStateException("no replace was sent for " + orderId);
        }
        ReplaceRequest last = sent.get(sent.size() - 1);
        long cum = cumulative.getOrDefault(orderId, 0L);
        return send(report(orderId, ExecutionType.REPLACED)
                .setClientRequestId(last.requestId())
                .setOrderQuantity(last.quantity())
                .setPrice(last.price())
                .setLeavesQuantity(Math.max(0, last.quantity() - cum))
                .build());
    }

    /** OrderCancelReject (CxlRejResponseTo 1): the last cancel was refused (e.g. too late to cancel). */
    public ExecutionReport cancelRejected(String orderId) {
        return send(report(orderId, ExecutionType.CANCEL_REJECTED)
                .setClientRequestId(lastCancelId(orderId))
                .setReason("too late to cancel")
                .build());
    }

    /**
     * OrderCancelReject of the last cancel for an order the venue never saw (OrderID {@code NONE}, CxlRejReason 1):
     * the cancel overtook the order, and the venue keeps a tombstone that refuses the order when it arrives.
     */
    public ExecutionReport cancelRejectedUnknown(String orderId) {
        return send(report(orderId, ExecutionType.CANCEL_REJECTED)
                .setVenueOrderId("NONE")
                .setClientRequestId(lastCancelId(orderId))
                .setReason("unknown order (CxlRejReason 1)")
                .build());
    }

    /** OrderCancelReject (CxlRejResponseTo 2): the last replace was refused. */
    public ExecutionReport replaceRejected(String orderId) {
        List<ReplaceRequest> sent = replaces(orderId);
        return send(report(orderId, ExecutionType.REPLACE_REJECTED)
                .setClientRequestId(
                        sent.isEmpty() ? null : sent.get(sent.size() - 1).requestId())
                .setReason("too late to replace")
                .build());
    }

    /** Pipes {@code report} as it is, keyed by its accountId. */
    public ExecutionReport send(ExecutionReport report) {
        if (pipe == null) {
            throw new IllegalStateException("the venue is not connected to a fixture");
        }
        pipe.accept(report);
        return report;
    }

    /** A report about {@code orderId} with this venue's defaults, for a test to complete and {@link #send}. */
    public ExecutionReport.Builder report(String orderId, ExecutionType type) {
        OrderState state = state(orderId);
        long cum = cumulative.getOrDefault(orderId, 0L);
        return ExecutionReport.newBuilder()
                .setExecutionId(orderId + "-" + executions.incrementAndGet())
                .setOrderId(orderId)
                .setAccountId(state.getAccountId())
                .setType(type)
                .setVenueOrderId("V-" + orderId)
                .setClientRequestId(orderId)
                .setCumulativeQuantity(cum)
                .setLeavesQuantity(Math.max(0, state.getQuantity() - cum))
                .setOrderQuantity(state.getQuantity())
                .setPrice(state.getPrice())
                .setTransactTime(clock.instant())
                .setReceivedAt(clock.instant())
                .setSession("FIX.4.4:PIPELINE->VENUE");
    }

    private String lastCancelId(String orderId) {
        List<CancelRequest> sent = cancels(orderId);
        return sent.isEmpty() ? null : sent.get(sent.size() - 1).requestId();
    }

    private OrderState state(String orderId) {
        OrderState state = states.apply(orderId);
        if (state == null) {
            throw new IllegalStateException("no order " + orderId + " in the fixture");
        }
        return state;
    }

    private static BigDecimal money(String value) {
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_UP);
    }
}
