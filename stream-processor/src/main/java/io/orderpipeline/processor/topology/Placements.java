package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.placement.CancelRequest;
import io.orderpipeline.processor.placement.ExchangeAck;
import io.orderpipeline.processor.placement.ExchangeException;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ExchangeRejectedException;
import io.orderpipeline.processor.placement.ExchangeUnavailableException;
import io.orderpipeline.processor.placement.PlacementRequest;
import io.orderpipeline.processor.placement.PlacementTimeoutException;
import io.orderpipeline.processor.placement.RetryPolicy;
import io.orderpipeline.processor.validation.RejectionReason;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placement attempts of one lifecycle task: sending, waiting without blocking, timeouts, retries through the tiers and
 * the dead-letter topic (see {@link OrderLifecycleProcessor} for the guarantees).
 *
 * <p>An attempt is in flight from the call to {@link ExchangeGateway#place} until its answer: the completed stage of
 * an exchange that acknowledges directly, or, for a venue that answers with reports ({@link ExchangeAck.Kind#SENT}),
 * the first report about the order ({@link #answered}, {@link #rejected}). Its deadline is an in-flight entry of the
 * schedule store; when it passes without answer the attempt failed transiently and the next one is sent with the same
 * order id, which the venue answers with the order's status if it had it.
 */
final class Placements {

    private static final Logger log = LoggerFactory.getLogger(Placements.class);

    /** An attempt waiting for the exchange's answer (the stage), or for the venue's report (stage done with SENT). */
    private record InFlight(
            int attempt,
            Instant firstAttemptAt,
            Origin origin,
            String scheduleKey,
            CompletableFuture<ExchangeAck> answer) {

        boolean awaitsReport() {
            return answer.isDone()
                    && !answer.isCompletedExceptionally()
                    && answer.join().kind() == ExchangeAck.Kind.SENT;
        }
    }

    private final TopologySettings settings;
    private final RetryPolicy retry;
    private final ExchangeGateway exchange;
    private final Clock clock;
    private final OrderWriter writer;
    private final KeyValueStore<String, ScheduledPlacement> schedule;
    /** Attempts sent and not yet answered, by orderId. In memory only: the schedule store is the durable copy. */
    private final Map<String, InFlight> inFlight = new HashMap<>();

    Placements(
            TopologySettings settings,
            ExchangeGateway exchange,
            Clock clock,
            OrderWriter writer,
            KeyValueStore<String, ScheduledPlacement> schedule) {
        this.settings = settings;
        this.retry = settings.retry();
        this.exchange = exchange;
        this.clock = clock;
        this.writer = writer;
        this.schedule = schedule;
    }

    /** A retry record came back from its tier: run it if due, else wait for it in the schedule store. */
    void onRetry(PlacementAttempt attempt, Origin origin) {
        OrderState state = writer.get(attempt.getOrderId());
        if (!isAwaiting(state, attempt.getAttempt())) {
            log.debug("order {}: stale retry of attempt {} dropped", attempt.getOrderId(), attempt.getAttempt());
            return;
        }
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
    void attempt(OrderState state, int number, Instant firstAttemptAt, Origin origin) {
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
        InFlight pending = new InFlight(number, firstAttemptAt, origin, null, answer);
        if (answer.isDone() && !pending.awaitsReport()) {
            apply(state, pending);
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

    /** Whether the venue may hold the order or still receive its placement (an attempt sent, maybe unanswered). */
    boolean mayBeInFlight(OrderState state) {
        return state.getStatus() == OrderStatus.PENDING
                || inFlight.containsKey(state.getOrderId())
                || (state.getStatus() == OrderStatus.RETRYING
                        && state.getNextAttemptAt() != null
                        && !now().isBefore(state.getNextAttemptAt()));
    }

    /** A report answered the attempt in flight: its deadline no longer applies. */
    void answered(String orderId) {
        InFlight pending = inFlight.remove(orderId);
        if (pending != null && pending.scheduleKey() != null) {
            schedule.delete(pending.scheduleKey());
        }
    }

    /** The order ends or is cancelled without waiting for the venue: nothing of its placement may run any more. */
    void forget(OrderState state) {
        if (state.getNextAttemptAt() != null) {
            schedule.delete(scheduleKey(state.getNextAttemptAt().toEpochMilli(), state.getOrderId()));
        }
        answered(state.getOrderId());
    }

    /** The venue refused the attempt in flight (a REJECTED report). */
    void rejected(OrderState state, boolean retryable, String description, Origin origin) {
        InFlight pending = inFlight.get(state.getOrderId());
        answered(state.getOrderId());
        int number = state.getAttempts() + 1;
        Instant firstAttemptAt = pending != null ? pending.firstAttemptAt() : state.getCreatedAt();
        Origin from = pending != null ? pending.origin() : origin;
        ExchangeException error =
                retryable ? new ExchangeUnavailableException(description) : new ExchangeRejectedException(description);
        failedAttempt(state, number, firstAttemptAt, from, error);
    }

    /**
     * Withdraws the order at the exchange, best effort: a placement still on its way is then refused there. A failure
     * is logged; the order's state does not depend on it.
     */
    void withdraw(OrderState state) {
        try {
            exchange.cancel(new CancelRequest(
                    CancelRequest.idFor(state.getOrderId(), state.getVersion()),
                    state.getOrderId(),
                    state.getAccountId(),
                    state.getSymbol(),
                    state.getSide(),
                    state.getQuantity()));
        } catch (RuntimeException e) {
            log.warn("order {}: withdrawal at the exchange not sent: {}", state.getOrderId(), e.toString());
        }
    }

    /** Answers still outstanding are abandoned; their in-flight entries make the next owner ask again. */
    void clear() {
        inFlight.clear();
    }

    private void apply(OrderState state, InFlight pending) {
        Throwable error = null;
        ExchangeAck ack = null;
        try {
            ack = pending.answer().join();
        } catch (CompletionException e) {
            error = e.getCause() != null ? e.getCause() : e;
        } catch (CancellationException e) {
            error = e;
        }
        if (ack != null) {
            placed(state, pending.attempt(), ack);
        } else {
            failedAttempt(state, pending.attempt(), pending.firstAttemptAt(), pending.origin(), error);
        }
    }

    private void placed(OrderState state, int number, ExchangeAck ack) {
        log.debug(
                "order {} placed as {} (attempt {}{})",
                state.getOrderId(),
                ack.exchangeOrderId(),
                number,
                ack.duplicate() ? ", exchange already held it" : "");
        writer.transition(
                state,
                OrderTransitions.placed(state, number, ack.exchangeOrderId(), now()),
                OrderEventType.PLACED,
                null);
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
            writer.transition(state, retrying, OrderEventType.RETRY_SCHEDULED, description);
            PlacementAttempt next = placementAttempt(state, number + 1, dueAt, description, firstAttemptAt);
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.int32(number + 1));
            headers.add(
                    DeadLetterHeaders.BACKOFF_TIMESTAMP,
                    BigInteger.valueOf(dueAt.toEpochMilli()).toByteArray());
            // Keyed by account: the retry tier is partitioned like orders.commands, so it comes back to this task.
            writer.forward(state.getAccountId(), new OrderOutput.RetryScheduled(tier, next), now, headers);
            return;
        }
        String reason = retryable ? RejectionReason.RETRIES_EXHAUSTED.name() : RejectionReason.EXCHANGE_REJECTED.name();
        log.warn("order {} failed after {} attempt(s): {}", state.getOrderId(), number, description);
        if (error instanceof PlacementTimeoutException) {
            // The unanswered attempt may still land at the exchange; make sure it does not outlive the order.
            withdraw(state);
        }
        writer.transition(
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
        writer.forward(state.getOrderId(), new OrderOutput.DeadLettered(last), now, headers);
    }

    // ----- punctuation

    /** Applies finished answers, times out late ones and starts due attempts. Runs on the stream thread. */
    void runDueWork() {
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
            if (!pending.answer().isDone() || pending.awaitsReport()) {
                continue;
            }
            entries.remove();
            schedule.delete(pending.scheduleKey());
            OrderState state = writer.get(entry.getKey());
            if (isAwaiting(state, pending.attempt())) {
                apply(state, pending);
            }
        }
    }

    private void runDue(ScheduledPlacement due) {
        OrderState state = writer.get(due.getOrderId());
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

    /** Whether {@code state} waits for attempt {@code number} (no later attempt ran, not placed or ended meanwhile). */
    private static boolean isAwaiting(OrderState state, int number) {
        return state != null
                && OrderTransitions.isAwaitingPlacement(state.getStatus())
                && state.getAttempts() == number - 1;
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
}
