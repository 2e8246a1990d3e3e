package io.orderpipeline.processor.venue;

import io.orderpipeline.fixgateway.CancelOrder;
import io.orderpipeline.fixgateway.NewOrder;
import io.orderpipeline.fixgateway.ReplaceOrder;
import io.orderpipeline.fixgateway.VenueConnection;
import io.orderpipeline.processor.placement.CancelRequest;
import io.orderpipeline.processor.placement.ExchangeAck;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ExchangeUnavailableException;
import io.orderpipeline.processor.placement.PlacementRequest;
import io.orderpipeline.processor.placement.ReplaceRequest;
import io.orderpipeline.processor.placement.RequestOutcome;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology's {@link ExchangeGateway} over this instance's FIX session: a placement is a NewOrderSingle with
 * ClOrdID = orderId, a cancel an OrderCancelRequest and an amend an OrderCancelReplaceRequest with the request's id as
 * ClOrdID and the order id as OrigClOrdID. Every call only sends ({@link ExchangeAck#sent()},
 * {@link RequestOutcome#SENT}); the venue's answers come back as reports through {@code orders.executions}. A session
 * that is not logged on fails the call with {@link ExchangeUnavailableException}: a placement is then retried through
 * the tiers (same ClOrdID, so the venue places it at most once), a cancel or amend is refused at once.
 */
final class FixExchangeGateway implements ExchangeGateway {

    private static final Logger log = LoggerFactory.getLogger(FixExchangeGateway.class);

    private final VenueSession session;

    FixExchangeGateway(VenueSession session) {
        this.session = session;
    }

    @Override
    public CompletionStage<ExchangeAck> place(PlacementRequest request) {
        VenueConnection connection;
        try {
            connection = loggedOn(request.orderId());
        } catch (ExchangeUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        NewOrder order = new NewOrder(
                request.orderId(),
                request.accountId(),
                request.symbol(),
                request.side(),
                request.orderType(),
                request.quantity(),
                request.price());
        return connection.newOrder(order).handle((sent, error) -> {
            if (error != null) {
                throw new CompletionException(unavailable(request.orderId(), error));
            }
            return ExchangeAck.sent();
        });
    }

    @Override
    public RequestOutcome cancel(CancelRequest request) {
        VenueConnection connection = loggedOn(request.requestId());
        connection
                .cancel(new CancelOrder(
                        request.orderId(),
                        request.requestId(),
                        request.accountId(),
                        request.symbol(),
                        request.side(),
                        request.quantity()))
                .whenComplete((sent, error) -> logLost(request.requestId(), error));
        return RequestOutcome.SENT;
    }

    @Override
    public RequestOutcome replace(ReplaceRequest request) {
        VenueConnection connection = loggedOn(request.requestId());
        connection
                .replace(new ReplaceOrder(
                        request.orderId(),
                        request.requestId(),
                        request.accountId(),
                        request.symbol(),
                        request.side(),
                        request.orderType(),
                        request.quantity(),
                        request.price()))
                .whenComplete((sent, error) -> {
                    if (error != null) {
                        refuseUnsent(request, error);
                    }
                });
        return RequestOutcome.SENT;
    }

    /**
     * An amend the session did not take after all (it logged out between the check and the send; it is never resent,
     * see {@code VenueConnection}): without an answer the order would keep its pending amend, and refuse every later
     * one with {@code REQUEST_PENDING}. So this side answers for the venue, through {@code orders.executions} like every
     * answer: a {@code REPLACE_REJECTED} for the request, which the task turns into {@code AMEND_REJECTED} and which
     * releases the amend's notional.
     */
    private void refuseUnsent(ReplaceRequest request, Throwable error) {
        ExecutionReport refusal =
                unsentRefusal(request, error, session.settings().sessionName(), Instant.now());
        log.warn("{} not sent to the venue, refused: {}", request.requestId(), refusal.getReason());
        session.sink().accept(refusal).whenComplete((stored, failed) -> {
            if (failed != null) {
                log.error("the refusal of unsent amend {} was not written: {}", request.requestId(), failed.toString());
            }
        });
    }

    static ExecutionReport unsentRefusal(ReplaceRequest request, Throwable error, String session, Instant now) {
        return ExecutionReport.newBuilder()
                .setExecutionId(request.requestId() + ":not-sent")
                .setOrderId(request.orderId())
                .setAccountId(request.accountId())
                .setType(ExecutionType.REPLACE_REJECTED)
                .setClientRequestId(request.requestId())
                .setReason("not sent to the venue: " + cause(error).getMessage())
                .setTransactTime(now)
                .setReceivedAt(now)
                .setSession(session)
                .build();
    }

    private VenueConnection loggedOn(String clOrdId) {
        VenueConnection connection = session.connection().orElse(null);
        if (connection == null || !connection.isLoggedOn()) {
            throw new ExchangeUnavailableException(
                    "FIX session " + session.settings().sessionName() + " is not logged on; " + clOrdId + " not sent");
        }
        return connection;
    }

    /**
     * A cancel the session did not take after all (it logged out between the check and the send): the order keeps
     * its pending cancel until a new CANCEL sends it again (a second cancel is always sent).
     */
    private static void logLost(String clOrdId, Throwable error) {
        if (error != null) {
            log.warn("{} not sent to the venue: {}", clOrdId, error.getMessage());
        }
    }

    private static ExchangeUnavailableException unavailable(String clOrdId, Throwable error) {
        return new ExchangeUnavailableException(
                clOrdId + " not sent: " + cause(error).getMessage());
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
