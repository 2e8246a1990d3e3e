package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.account.AccountLedger;
import io.orderpipeline.processor.placement.ExchangeAck;
import io.orderpipeline.processor.placement.ExchangeException;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.PlacementRequest;
import io.orderpipeline.processor.placement.PlacementTimeoutException;
import io.orderpipeline.processor.placement.RetryPolicy;
import io.orderpipeline.processor.validation.OrderValidator;
import io.orderpipeline.processor.validation.RejectionReason;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.schemas.avro.ScheduledPlacement;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order state machine. Owns {@value OrderTopology#ORDERS_STORE} and {@value OrderTopology#SCHEDULE_STORE} for the
 * orders of its partition and is the only writer of an order's state, so versions are assigned in one place. The
 * write side is partitioned by account, so the same task also holds the {@link AccountLedger} of every account of its
 * partition: validation, the duplicate-clientOrderId and open-notional checks, the reservation and the first
 * placement attempt all happen in the call that reads the PLACE command.
 *
 * <p><b>Consistency.</b> Everything one input causes (store writes, ledger updates, state and event records, retry and
 * DLT records) is emitted from one call and committed in one Kafka transaction ({@code exactly_once_v2}): a crash
 * either keeps all of it or replays the input. The only effect outside Kafka is the exchange call, which is why the
 * exchange must be idempotent by orderId.
 *
 * <p><b>Never waiting.</b> The exchange answers through a {@link CompletableFuture}. An answer that is already there
 * is applied at once; otherwise the attempt is remembered in memory and, for crash safety, as an in-flight entry in the
 * schedule store with its timeout as due time. A wall-clock punctuator applies finished answers, times out late ones
 * and starts due retries. After a restart the in-memory futures are gone, the in-flight entries are not: at their due
 * time the attempt is sent again and the idempotent exchange returns the original answer.
 *
 * <p><b>Retries.</b> A transient failure writes the next attempt to retry tier {@code orders.place.retry.<tier>} with
 * its due time; the record comes back here, waits in the schedule store (key: due time, then orderId) and is started
 * by the punctuator once due. Nothing sleeps, and an order waiting for its retry holds up no other order.
 */
final class OrderLifecycleProcessor implements Processor<String, OrderInput, String, OrderOutput> {

    private static final Logger log = LoggerFactory.getLogger(OrderLifecycleProcessor.class);

    private final TopologySettings settings;
    private final RetryPolicy retry;
    private final ExchangeGateway exchange;
    private final Clock clock;
    private final OrderValidator validator;
    /** Attempts sent and not yet answered, by orderId. In memory only: the schedule store is the durable copy. */
    private final Map<String, InFlight> inFlight = new HashMap<>();

    private ProcessorContext<String, OrderOutput> context;
    private KeyValueStore<String, OrderState> orders;
    private KeyValueStore<String, ScheduledPlacement> schedule;
    private AccountLedger ledger;

    OrderLifecycleProcessor(TopologySettings settings, ExchangeGateway exchange, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retry = settings.retry();
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validator = new OrderValidator(settings.validation());
    }

    /** Where a record that asked for a placement attempt was read; goes into dead-letter headers. */
    private record Origin(String topic, int partition, long offset) {

        static final Origin NONE = new Origin(null, -1, -1);
    }

    /** An attempt waiting for the exchange's answer. */
    private record InFlight(
            int attempt,
            Instant firstAttemptAt,
            Origin origin,
            String scheduleKey,
            CompletableFuture<ExchangeAck> answer) {}

    @Override
    public void init(ProcessorContext<String, OrderOutput> context) {
        this.context = context;
        this.orders = context.getStateStore(OrderTopology.ORDERS_STORE);
        this.schedule = context.getStateStore(OrderTopology.SCHEDULE_STORE);
        this.ledger = new AccountLedger(
                settings.accounts(),
                context.getStateStore(AccountLedger.CLIENT_ORDERS_STORE),
                context.getStateStore(AccountLedger.RESERVATIONS_STORE),
                context.getStateStore(AccountLedger.EXPOSURE_STORE));
        context.schedule(settings.schedulerInterval(), PunctuationType.WALL_CLOCK_TIME, timestamp -> runDueWork());
    }

    @Override
    public void process(Record<String, OrderInput> record) {
        OrderInput input = Objects.requireNonNull(record.value(), "input");
        if (input instanceof OrderInput.Command command) {
            onCommand(record.key(), command.command(), command.instrument());
        } else if (input instanceof OrderInput.Retry retryRecord) {
            onRetry(retryRecord.attempt());
        }
    }

    @Override
    public void close() {
        // Answers still outstanding are abandoned; their in-flight entries make the next owner ask again.
        inFlight.clear();
    }

    // ----- commands

    private void onCommand(String key, OrderCommand command, Instrument instrument) {
        // Structural checks come first and throw before anything is written: the processing exception handler then
        // sends the record to the dead-letter queue and nothing half-done is committed.
        require(command.getOrderId() != null && !command.getOrderId().isBlank(), command, "orderId is missing");
        require(command.getType() != null, command, "type is missing");
        if (command.getType() == CommandType.CANCEL) {
            // Routed by the account hash the order id carries (OrderRouting), or keyed by the account itself.
            require(
                    key == null || key.equals(command.getOrderId()) || key.equals(command.getAccountId()),
                    command,
                    "record key is neither the orderId nor the accountId");
            onCancel(command);
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
        OrderState existing = orders.get(command.getOrderId());
        if (existing != null) {
            // ingest-api derives orderId from the Idempotency-Key: a repeated PLACE is the same order, not a new one.
            log.info("order {}: PLACE command {} ignored, order exists", existing.getOrderId(), command.getCommandId());
            emitEvent(OrderTransitions.noOp(
                    existing,
                    OrderEventType.DUPLICATE_IGNORED,
                    "duplicate PLACE command " + command.getCommandId(),
                    now));
            return;
        }
        OrderState pending = OrderTransitions.accepted(command, now);
        transition(null, pending, OrderEventType.ACCEPTED, null);
        List<String> reasons = validator.validate(command, instrument);
        if (!reasons.isEmpty()) {
            log.info("order {} rejected: {}", pending.getOrderId(), reasons);
            transition(pending, OrderTransitions.rejected(pending, reasons, now), OrderEventType.REJECTED, null);
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
            transition(pending, OrderTransitions.rejected(pending, refused, now), OrderEventType.REJECTED, null);
            return;
        }
        attempt(pending, 1, now, origin());
    }

    private void onCancel(OrderCommand command) {
        Instant now = now();
        OrderState state = orders.get(command.getOrderId());
        if (state == null
                || (command.getAccountId() != null && !command.getAccountId().equals(state.getAccountId()))) {
            // A cancel naming another account than the order's is treated exactly like one for an unknown order:
            // ingest-api names the caller's account whose route the id matched, so this is a hash collision or a
            // forged command, and nothing of the order may change or be revealed.
            log.warn(
                    "order {}: CANCEL command {} for an unknown order (or another account's) dropped",
                    command.getOrderId(),
                    command.getCommandId());
            return;
        }
        if (OrderTransitions.isTerminal(state.getStatus())) {
            emitEvent(OrderTransitions.noOp(
                    state,
                    OrderEventType.CANCEL_IGNORED,
                    "order already " + state.getStatus() + "; CANCEL command " + command.getCommandId() + " ignored",
                    now));
            return;
        }
        if (state.getNextAttemptAt() != null) {
            schedule.delete(scheduleKey(state.getNextAttemptAt().toEpochMilli(), state.getOrderId()));
        }
        InFlight pending = inFlight.remove(state.getOrderId());
        if (pending != null) {
            schedule.delete(pending.scheduleKey());
        }
        // The exchange may hold the order or still receive it (an answer outstanding, a replay): withdraw it there.
        exchange.cancel(state.getOrderId());
        log.info("order {} cancelled while {}", state.getOrderId(), state.getStatus());
        end(
                state,
                OrderTransitions.cancelled(state, now),
                OrderEventType.CANCELLED,
                "cancelled by " + command.getCommandId());
    }

    // ----- placement

    private void onRetry(PlacementAttempt attempt) {
        OrderState state = orders.get(attempt.getOrderId());
        if (!isAwaiting(state, attempt.getAttempt())) {
            log.debug("order {}: stale retry of attempt {} dropped", attempt.getOrderId(), attempt.getAttempt());
            return;
        }
        Origin origin = origin();
        long dueAt = attempt.getDueAt().toEpochMilli();
        if (dueAt <= clock.millis()) {
            attempt(state, attempt.getAttempt(), attempt.getFirstAttemptAt(), origin);
            return;
        }
        schedule.put(
                scheduleKey(dueAt, state.getOrderId()),
                new ScheduledPlacement(
                        state.getOrderId(),
                        attempt.getAttempt(),
                        attempt.getDueAt(),
                        false,
                        attempt.getFirstAttemptAt(),
                        origin.topic(),
                        origin.partition(),
                        origin.offset()));
    }

    /** Sends attempt {@code number}; applies the answer now if the exchange already gave it. */
    private void attempt(OrderState state, int number, Instant firstAttemptAt, Origin origin) {
        PlacementRequest request = new PlacementRequest(
                state.getOrderId(),
                state.getAccountId(),
                state.getSymbol(),
                state.getSide(),
                state.getOrderType(),
                state.getQuantity(),
                state.getPrice(),
                number);
        CompletableFuture<ExchangeAck> answer;
        try {
            answer = exchange.place(request).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer.isDone()) {
            apply(state, number, firstAttemptAt, origin, answer);
            return;
        }
        Instant deadline = now().plus(settings.placementTimeout());
        String key = scheduleKey(deadline.toEpochMilli(), state.getOrderId());
        schedule.put(
                key,
                new ScheduledPlacement(
                        state.getOrderId(),
                        number,
                        deadline,
                        true,
                        firstAttemptAt,
                        origin.topic(),
                        origin.partition(),
                        origin.offset()));
        inFlight.put(state.getOrderId(), new InFlight(number, firstAttemptAt, origin, key, answer));
    }

    private void apply(
            OrderState state,
            int number,
            Instant firstAttemptAt,
            Origin origin,
            CompletableFuture<ExchangeAck> answer) {
        Throwable error = null;
        ExchangeAck ack = null;
        try {
            ack = answer.join();
        } catch (CompletionException e) {
            error = e.getCause() != null ? e.getCause() : e;
        } catch (CancellationException e) {
            error = e;
        }
        if (ack != null) {
            placed(state, number, ack);
        } else {
            failedAttempt(state, number, firstAttemptAt, origin, error);
        }
    }

    private void placed(OrderState state, int number, ExchangeAck ack) {
        Instant now = now();
        log.debug(
                "order {} placed as {} (attempt {}{})",
                state.getOrderId(),
                ack.exchangeOrderId(),
                number,
                ack.duplicate() ? ", exchange already held it" : "");
        end(state, OrderTransitions.placed(state, number, ack.exchangeOrderId(), now), OrderEventType.PLACED, null);
    }

    private void failedAttempt(OrderState state, int number, Instant firstAttemptAt, Origin origin, Throwable error) {
        Instant now = now();
        String description = error.getClass().getSimpleName() + ": " + error.getMessage();
        boolean retryable = !(error instanceof ExchangeException exchangeError) || exchangeError.retryable();
        if (retryable && !retry.exhausted(number)) {
            Instant dueAt = now.plus(retry.backoffAfter(state.getOrderId(), number));
            int tier = retry.tierAfter(number);
            log.debug(
                    "order {}: attempt {} failed ({}), attempt {} at {} via tier {}",
                    state.getOrderId(),
                    number,
                    description,
                    number + 1,
                    dueAt,
                    tier);
            OrderState retrying = OrderTransitions.retrying(state, number, dueAt, description, now);
            transition(state, retrying, OrderEventType.RETRY_SCHEDULED, description);
            PlacementAttempt next = placementAttempt(state, number + 1, dueAt, description, firstAttemptAt);
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.int32(number + 1));
            headers.add(
                    DeadLetterHeaders.BACKOFF_TIMESTAMP,
                    BigInteger.valueOf(dueAt.toEpochMilli()).toByteArray());
            // Keyed by account: the retry tier is partitioned like orders.commands, so it comes back to this task.
            context.forward(new Record<>(
                    state.getAccountId(),
                    (OrderOutput) new OrderOutput.RetryScheduled(tier, next),
                    now.toEpochMilli(),
                    headers));
            return;
        }
        String reason = retryable ? RejectionReason.RETRIES_EXHAUSTED.name() : RejectionReason.EXCHANGE_REJECTED.name();
        log.warn("order {} failed after {} attempt(s): {}", state.getOrderId(), number, description);
        if (error instanceof PlacementTimeoutException) {
            // The unanswered attempt may still land at the exchange; make sure it does not outlive the order.
            exchange.cancel(state.getOrderId());
        }
        end(
                state,
                OrderTransitions.failed(state, number, reason, description, now),
                OrderEventType.FAILED,
                description);
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                DeadLetterHeaders.EXCEPTION_FQCN,
                DeadLetterHeaders.text(error.getClass().getName()));
        headers.add(DeadLetterHeaders.EXCEPTION_MESSAGE, DeadLetterHeaders.text(error.getMessage()));
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, DeadLetterHeaders.text(origin.topic()));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, DeadLetterHeaders.int32(origin.partition()));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, DeadLetterHeaders.int64(origin.offset()));
        headers.add(DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.int32(number));
        PlacementAttempt last = placementAttempt(state, number, now, description, firstAttemptAt);
        context.forward(new Record<>(
                state.getOrderId(), (OrderOutput) new OrderOutput.DeadLettered(last), now.toEpochMilli(), headers));
    }

    // ----- punctuation

    /** Applies finished answers, times out late ones and starts due attempts. Runs on the stream thread. */
    private void runDueWork() {
        applyFinishedAnswers();
        long now = clock.millis();
        List<KeyValue<String, ScheduledPlacement>> due = new ArrayList<>();
        // Keys are "<16-digit due millis>|orderId": everything up to now+1 (exclusive) sorts below that prefix.
        try (KeyValueIterator<String, ScheduledPlacement> entries = schedule.range(null, timePrefix(now + 1))) {
            while (entries.hasNext() && due.size() < settings.maxDuePerRun()) {
                due.add(entries.next());
            }
        }
        for (KeyValue<String, ScheduledPlacement> entry : due) {
            // Removed before it runs, so an entry whose processing throws cannot come back forever.
            schedule.delete(entry.key);
            runDue(entry.value);
        }
    }

    private void applyFinishedAnswers() {
        Iterator<Map.Entry<String, InFlight>> entries = inFlight.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, InFlight> entry = entries.next();
            InFlight pending = entry.getValue();
            if (!pending.answer().isDone()) {
                continue;
            }
            entries.remove();
            schedule.delete(pending.scheduleKey());
            OrderState state = orders.get(entry.getKey());
            if (isAwaiting(state, pending.attempt())) {
                apply(state, pending.attempt(), pending.firstAttemptAt(), pending.origin(), pending.answer());
            }
        }
    }

    private void runDue(ScheduledPlacement due) {
        OrderState state = orders.get(due.getOrderId());
        if (!isAwaiting(state, due.getAttempt())) {
            return;
        }
        Origin origin = new Origin(due.getSourceTopic(), due.getSourcePartition(), due.getSourceOffset());
        InFlight pending = inFlight.get(due.getOrderId());
        if (due.getInFlight() && pending != null && pending.attempt() == due.getAttempt()) {
            inFlight.remove(due.getOrderId());
            failedAttempt(
                    state,
                    due.getAttempt(),
                    due.getFirstAttemptAt(),
                    origin,
                    new PlacementTimeoutException("no answer from the exchange within " + settings.placementTimeout()));
            return;
        }
        // A due retry, or an attempt that was in flight when this task last stopped: (re)send it.
        attempt(state, due.getAttempt(), due.getFirstAttemptAt(), origin);
    }

    // ----- helpers

    /** Whether {@code state} waits for attempt {@code number} (no later attempt ran, not ended meanwhile). */
    private static boolean isAwaiting(OrderState state, int number) {
        return state != null
                && (state.getStatus() == OrderStatus.PENDING || state.getStatus() == OrderStatus.RETRYING)
                && state.getAttempts() == number - 1;
    }

    /** A transition to a terminal state: also gives the order's reservation back to its account. */
    private void end(OrderState previous, OrderState next, OrderEventType type, String detail) {
        transition(previous, next, type, detail);
        ledger.release(next.getAccountId(), next.getOrderId(), next.getUpdatedAt());
    }

    private void transition(OrderState previous, OrderState next, OrderEventType type, String detail) {
        orders.put(next.getOrderId(), next);
        Instant now = next.getUpdatedAt();
        forward(next.getOrderId(), new OrderOutput.StateChanged(next), now);
        forward(
                next.getOrderId(),
                new OrderOutput.EventOccurred(OrderTransitions.event(previous, next, type, detail)),
                now);
    }

    private void emitEvent(OrderEvent event) {
        forward(event.getOrderId(), new OrderOutput.EventOccurred(event), event.getOccurredAt());
    }

    private void forward(String key, OrderOutput output, Instant timestamp) {
        context.forward(new Record<>(key, output, timestamp.toEpochMilli()));
    }

    private static PlacementAttempt placementAttempt(
            OrderState state, int number, Instant dueAt, String lastError, Instant firstAttemptAt) {
        return PlacementAttempt.newBuilder()
                .setOrderId(state.getOrderId())
                .setAccountId(state.getAccountId())
                .setSymbol(state.getSymbol())
                .setSide(state.getSide())
                .setOrderType(state.getOrderType())
                .setQuantity(state.getQuantity())
                .setPrice(state.getPrice())
                .setAttempt(number)
                .setDueAt(dueAt)
                .setLastError(lastError)
                .setFirstAttemptAt(firstAttemptAt)
                .build();
    }

    private Origin origin() {
        return context.recordMetadata()
                .map(m -> new Origin(m.topic(), m.partition(), m.offset()))
                .orElse(Origin.NONE);
    }

    /** Millisecond precision, as on the wire, so what is stored equals what is read back. */
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    static String scheduleKey(long dueAtMillis, String orderId) {
        return timePrefix(dueAtMillis) + '|' + orderId;
    }

    private static String timePrefix(long millis) {
        return String.format("%016d", millis);
    }

    private static void require(boolean condition, OrderCommand command, String problem) {
        if (!condition) {
            throw new MalformedCommandException("command " + command.getCommandId() + ": " + problem);
        }
    }
}
