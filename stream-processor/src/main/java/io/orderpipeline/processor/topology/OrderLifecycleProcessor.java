package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.account.AccountLedger;
import io.orderpipeline.processor.placement.CancelRequest;
import io.orderpipeline.processor.placement.ExchangeException;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ReplaceRequest;
import io.orderpipeline.processor.placement.RequestOutcome;
import io.orderpipeline.processor.validation.OrderValidator;
import io.orderpipeline.processor.validation.RejectionReason;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order state machine's shell: reads the stores, asks the pure decision classes ({@link OrderTransitions},
 * {@link Executions}, {@link Amendments}, {@link OpenNotional}) and writes what they decided through
 * {@link OrderWriter}; placement attempts, retries and timeouts are {@link Placements}'. Owns
 * {@value OrderTopology#ORDERS_STORE} and {@value OrderTopology#SCHEDULE_STORE} for the orders of its partition and is
 * the only writer of an order's state, so versions are assigned in one place. The write side is partitioned by account,
 * so the same task also holds the {@link AccountLedger} of every account of its partition, and receives the venue's
 * reports about its orders ({@code orders.executions}, keyed by account).
 *
 * <p><b>Consistency.</b> Everything one input causes (store writes, ledger updates, state and event records, retry and
 * DLT records) is emitted from one call and committed in one Kafka transaction ({@code exactly_once_v2}): a crash
 * either keeps all of it or replays the input. The only effects outside Kafka are the exchange calls, which is why the
 * exchange must be idempotent by orderId and request id.
 *
 * <p><b>Never waiting.</b> The exchange answers through a {@link CompletableFuture} or, for a venue, with reports. An
 * answer that is already there is applied at once; otherwise the attempt is remembered in memory and, for crash safety,
 * as an in-flight entry in the schedule store with its timeout as due time. A wall-clock punctuator applies finished
 * answers, times out late ones and starts due retries. After a restart the in-memory futures are gone, the in-flight
 * entries are not: at their due time the attempt is sent again and the idempotent exchange returns the original answer.
 *
 * <p><b>Retries.</b> A transient failure writes the next attempt to retry tier {@code orders.place.retry.<tier>} with
 * its due time; the record comes back here, waits in the schedule store (key: due time, then orderId) and is started
 * by the punctuator once due. Nothing sleeps, and an order waiting for its retry holds up no other order.
 */
final class OrderLifecycleProcessor implements Processor<String, OrderInput, String, OrderOutput> {

    private static final Logger log = LoggerFactory.getLogger(OrderLifecycleProcessor.class);

    private final TopologySettings settings;
    private final ExchangeGateway exchange;
    private final Clock clock;
    private final OrderValidator validator;

    private ProcessorContext<String, OrderOutput> context;
    private OrderWriter writer;
    private AccountLedger ledger;
    private Placements placements;
    private Replays replays;
    private KeyValueStore<String, Object> instruments;

    OrderLifecycleProcessor(TopologySettings settings, ExchangeGateway exchange, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validator = new OrderValidator(settings.validation());
    }

    @Override
    public void init(ProcessorContext<String, OrderOutput> context) {
        this.context = context;
        this.ledger = new AccountLedger(
                settings.accounts(),
                context.getStateStore(AccountLedger.CLIENT_ORDERS_STORE),
                context.getStateStore(AccountLedger.RESERVATIONS_STORE),
                context.getStateStore(AccountLedger.EXPOSURE_STORE));
        this.writer = new OrderWriter(context, context.getStateStore(OrderTopology.ORDERS_STORE), ledger);
        this.placements =
                new Placements(settings, exchange, clock, writer, context.getStateStore(OrderTopology.SCHEDULE_STORE));
        this.replays = new Replays(validator, writer, placements);
        // The GlobalKTable's store, read by symbol for an AMEND or REPLAY (whose command names only the order).
        this.instruments = context.getStateStore(OrderTopology.INSTRUMENTS_STORE);
        context.schedule(
                settings.schedulerInterval(), PunctuationType.WALL_CLOCK_TIME, timestamp -> placements.runDueWork());
    }

    @Override
    public void process(Record<String, OrderInput> record) {
        OrderInput input = Objects.requireNonNull(record.value(), "input");
        if (input instanceof OrderInput.Command command) {
            writer.actingFor(command.command().getPrincipal());
            try {
                onCommand(record.key(), command.command(), command.instrument());
            } finally {
                writer.actingFor(null);
            }
        } else if (input instanceof OrderInput.Retry retryRecord) {
            placements.onRetry(retryRecord.attempt(), origin());
        } else if (input instanceof OrderInput.Execution execution) {
            onExecution(execution.report());
        }
    }

    @Override
    public void close() {
        placements.clear();
    }

    // ----- commands

    private void onCommand(String key, OrderCommand command, Instrument instrument) {
        // Structural checks come first and throw before anything is written: the processing exception handler then
        // sends the record to the dead-letter queue and nothing half-done is committed.
        require(command.getOrderId() != null && !command.getOrderId().isBlank(), command, "orderId is missing");
        require(command.getType() != null, command, "type is missing");
        if (command.getType() != CommandType.PLACE) {
            // Routed by the account hash the order id carries (OrderRouting), or keyed by the account itself.
            require(
                    key == null || key.equals(command.getOrderId()) || key.equals(command.getAccountId()),
                    command,
                    "record key is neither the orderId nor the accountId");
            OrderState state = ownOrder(command);
            if (state == null) {
                return;
            }
            switch (command.getType()) {
                case CANCEL -> onCancel(state, command);
                case AMEND -> onAmend(state, command);
                case REPLAY -> replays.onReplay(state, command, instrument(state.getSymbol()), origin(), now());
                default ->
                    throw new MalformedCommandException(
                            "command " + command.getCommandId() + ": unknown type " + command.getType());
            }
        } else {
            require(command.getAccountId() != null && !command.getAccountId().isBlank(), command, "accountId missing");
            // Another key would put the account's orders into several tasks, each with its own part of the ledger.
            require(key == null || key.equals(command.getAccountId()), command, "record key differs from accountId");
            require(command.getSymbol() != null, command, "symbol is missing");
            require(command.getSide() != null, command, "side is missing");
            require(command.getOrderType() != null, command, "orderType is missing");
            onPlace(command, instrument);
        }
    }

    private void onPlace(OrderCommand command, Instrument instrument) {
        Instant now = now();
        OrderState existing = writer.get(command.getOrderId());
        if (existing != null) {
            // ingest-api derives orderId from the Idempotency-Key: a repeated PLACE is the same order, not a new one.
            log.info("order {}: PLACE command {} ignored, order exists", existing.getOrderId(), command.getCommandId());
            writer.emit(OrderTransitions.noOp(
                    existing,
                    OrderEventType.DUPLICATE_IGNORED,
                    "duplicate PLACE command " + command.getCommandId(),
                    now));
            return;
        }
        OrderState pending = OrderTransitions.accepted(command, now);
        writer.transition(null, pending, OrderEventType.ACCEPTED, null);
        List<String> reasons = validator.validate(command, instrument);
        if (!reasons.isEmpty()) {
            log.info("order {} rejected: {}", pending.getOrderId(), reasons);
            writer.transition(pending, OrderTransitions.rejected(pending, reasons, now), OrderEventType.REJECTED, null);
            return;
        }
        List<String> refused = ledger.reserve(
                pending.getAccountId(),
                pending.getOrderId(),
                pending.getClientOrderId(),
                OrderValidator.notional(command, instrument),
                now);
        if (!refused.isEmpty()) {
            log.info("order {} rejected by account {}: {}", pending.getOrderId(), pending.getAccountId(), refused);
            writer.transition(pending, OrderTransitions.rejected(pending, refused, now), OrderEventType.REJECTED, null);
            return;
        }
        placements.attempt(pending, 1, now, origin());
    }

    /**
     * The order a CANCEL or AMEND names, or {@code null}. One naming another account than the order's is treated
     * exactly like one for an unknown order: ingest-api names the caller's account whose route the id matched, so
     * this is a hash collision or a forged command, and nothing of the order may change or be revealed.
     */
    private OrderState ownOrder(OrderCommand command) {
        OrderState state = writer.get(command.getOrderId());
        if (state == null
                || (command.getAccountId() != null && !command.getAccountId().equals(state.getAccountId()))) {
            log.warn(
                    "order {}: {} command {} for an unknown order (or another account's) dropped",
                    command.getOrderId(),
                    command.getType(),
                    command.getCommandId());
            return null;
        }
        return state;
    }

    /**
     * An order the venue cannot hold (waiting for a retry, nothing in flight) ends {@code CANCELLED} at once. One it
     * may hold is asked for at the venue ({@code CANCEL_REQUESTED}); its report ends it or refuses the cancel. An
     * in-process exchange cancels directly.
     */
    private void onCancel(OrderState state, OrderCommand command) {
        Instant now = now();
        if (OrderTransitions.isTerminal(state.getStatus())) {
            writer.emit(OrderTransitions.noOp(
                    state,
                    OrderEventType.CANCEL_IGNORED,
                    "order already " + state.getStatus() + "; CANCEL command " + command.getCommandId() + " ignored",
                    now));
            return;
        }
        String detail = "cancelled by " + command.getCommandId();
        if (!OrderTransitions.isLive(state.getStatus()) && !placements.mayBeInFlight(state)) {
            placements.forget(state);
            // A replayed attempt may still reach the exchange: withdraw the id there so that it cannot go live.
            placements.withdraw(state);
            log.info("order {} cancelled while {}", state.getOrderId(), state.getStatus());
            writer.transition(state, OrderTransitions.cancelled(state, now), OrderEventType.CANCELLED, detail);
            return;
        }
        boolean again = OrderTransitions.CANCEL.equals(state.getPendingRequest());
        CancelRequest request = new CancelRequest(
                CancelRequest.idFor(state.getOrderId(), state.getVersion()),
                state.getOrderId(),
                state.getAccountId(),
                state.getSymbol(),
                state.getSide(),
                state.getQuantity());
        RequestOutcome outcome;
        try {
            outcome = exchange.cancel(request);
        } catch (ExchangeException e) {
            log.warn("order {}: cancel {} not sent: {}", state.getOrderId(), request.requestId(), e.getMessage());
            writer.emit(OrderTransitions.noOp(
                    state, OrderEventType.CANCEL_REJECTED, "cancel not sent: " + e.getMessage(), now));
            return;
        }
        if (outcome == RequestOutcome.DONE) {
            placements.forget(state);
            writer.transition(state, OrderTransitions.cancelled(state, now), OrderEventType.CANCELLED, detail);
        } else if (again) {
            // A cancel is pending already; sending it again costs nothing (the venue answers a cancel of a cancelled
            // order with a reject, which finds no pending request) and recovers a request lost on the way.
            writer.emit(OrderTransitions.noOp(
                    state,
                    OrderEventType.CANCEL_IGNORED,
                    "a cancel is already pending; sent again as " + request.requestId() + " for "
                            + command.getCommandId(),
                    now));
        } else {
            writer.transition(
                    state,
                    OrderTransitions.cancelRequested(state, now),
                    OrderEventType.CANCEL_REQUESTED,
                    "cancel " + request.requestId() + " for " + command.getCommandId());
        }
    }

    /** Validated again like a new order; then the ledger's limit with the difference; then the venue. */
    private void onAmend(OrderState state, OrderCommand command) {
        Instant now = now();
        List<String> reasons = Amendments.validate(state, command, instrument(state.getSymbol()), validator);
        Amendments.Target target = Amendments.target(state, command);
        BigDecimal reserved = ledger.reserved(state.getAccountId(), state.getOrderId());
        OrderState requested = reasons.isEmpty()
                ? OrderTransitions.amendRequested(state, target.quantity(), target.price(), now)
                : null;
        if (requested != null && reserved != null) {
            reasons = ledger.adjust(
                    state.getAccountId(),
                    state.getOrderId(),
                    OpenNotional.target(state, requested, reserved),
                    true,
                    now);
        }
        if (!reasons.isEmpty()) {
            amendRejected(state, command, reasons, null, now);
            return;
        }
        ReplaceRequest request = new ReplaceRequest(
                ReplaceRequest.idFor(state.getOrderId(), state.getVersion()),
                state.getOrderId(),
                state.getAccountId(),
                state.getSymbol(),
                state.getSide(),
                state.getOrderType(),
                target.quantity(),
                target.price());
        RequestOutcome outcome;
        try {
            outcome = exchange.replace(request);
        } catch (ExchangeException e) {
            if (reserved != null) {
                ledger.adjust(state.getAccountId(), state.getOrderId(), reserved, false, now);
            }
            RejectionReason reason = e.retryable() ? RejectionReason.VENUE_UNAVAILABLE : RejectionReason.VENUE_REJECTED;
            amendRejected(state, command, List.of(reason.name()), e.getMessage(), now);
            return;
        }
        if (outcome == RequestOutcome.DONE) {
            OrderState amended = OrderTransitions.amended(state, target.quantity(), target.price(), now);
            writer.transition(state, amended, OrderEventType.AMENDED, "amended by " + command.getCommandId());
            adjustOpenNotional(state, amended, now);
        } else {
            writer.transition(
                    state,
                    requested,
                    OrderEventType.AMEND_REQUESTED,
                    "replace " + request.requestId() + " for " + command.getCommandId());
        }
    }

    private void amendRejected(OrderState state, OrderCommand command, List<String> reasons, String why, Instant now) {
        log.info("order {}: AMEND command {} refused: {}", state.getOrderId(), command.getCommandId(), reasons);
        String detail = "AMEND command " + command.getCommandId() + " refused" + (why == null ? "" : ": " + why);
        writer.emit(OrderTransitions.noOp(state, OrderEventType.AMEND_REJECTED, reasons, detail, now));
    }

    // ----- venue reports

    private void onExecution(ExecutionReport report) {
        Instant now = now();
        OrderState state = report.getOrderId() == null ? null : writer.get(report.getOrderId());
        if (state == null || !state.getAccountId().equals(report.getAccountId())) {
            log.warn(
                    "order {}: {} report {} for an unknown order (or another account's) dropped",
                    report.getOrderId(),
                    report.getType(),
                    report.getExecutionId());
            return;
        }
        Executions.Decision decision = Executions.decide(state, report, now);
        if (decision instanceof Executions.Ignore ignore) {
            log.debug("order {}: report {} ignored: {}", state.getOrderId(), report.getExecutionId(), ignore.detail());
            writer.emit(OrderTransitions.noOp(state, OrderEventType.EXECUTION_IGNORED, ignore.detail(), now));
        } else if (decision instanceof Executions.AttemptRejected rejected) {
            placements.rejected(state, rejected.retryable(), rejected.description(), origin());
        } else if (decision instanceof Executions.Apply apply) {
            if (apply.answersAttempt()) {
                placements.answered(state.getOrderId());
            }
            writer.transition(state, apply.next(), apply.type(), apply.detail(), apply.fill());
            adjustOpenNotional(state, apply.next(), now);
        }
    }

    /** An open order holds what is left of it; ending is {@link OrderWriter}'s (it releases the rest). */
    private void adjustOpenNotional(OrderState before, OrderState after, Instant now) {
        if (OrderTransitions.isTerminal(after.getStatus())) {
            return;
        }
        BigDecimal reserved = ledger.reserved(after.getAccountId(), after.getOrderId());
        if (reserved != null) {
            ledger.adjust(
                    after.getAccountId(), after.getOrderId(), OpenNotional.target(before, after, reserved), false, now);
        }
    }

    // ----- helpers

    private Instrument instrument(String symbol) {
        Object value = symbol == null ? null : instruments.get(symbol);
        if (value instanceof ValueAndTimestamp<?> timestamped) {
            value = timestamped.value();
        }
        return value instanceof Instrument instrument ? instrument : null;
    }

    private Origin origin() {
        return Origin.of(context.recordMetadata());
    }

    /** Millisecond precision, as on the wire, so what is stored equals what is read back. */
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static void require(boolean condition, OrderCommand command, String problem) {
        if (!condition) {
            throw new MalformedCommandException("command " + command.getCommandId() + ": " + problem);
        }
    }
}
