package io.orderpipeline.ingest.order;

import io.orderpipeline.ingest.IngestMetrics;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.ingest.command.CommandLog;
import io.orderpipeline.ingest.idempotency.IdempotencyConflictException;
import io.orderpipeline.ingest.idempotency.IdempotencyRecord;
import io.orderpipeline.ingest.idempotency.IdempotencyStore;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.stereotype.Service;

/**
 * Turns validated requests into commands on {@code orders.commands}. Every future it returns completes only after
 * the broker acknowledged the command (or fails with {@code CommandNotWrittenException}); nothing here blocks on Kafka
 * beyond {@code max.block.ms}.
 *
 * <p><b>Order ids</b> carry their account's route ({@link OrderRouting#route}): the lowest 32 bits of every new id
 * are the hash that partitions the account's PLACE commands, so a CANCEL, which names only the order, is written to
 * the same partition (see {@code CommandLog}).
 *
 * <p><b>Idempotency-Key.</b> A keyed PLACE gets the order id {@code UUIDv5(accountId, key)}, routed: every repeat of the
 * request, on any instance, at any time, names the same order, so the topology (which ignores a second PLACE for a
 * known order id) never creates two orders from one key. On top of that the {@link IdempotencyStore} lets a repeat be
 * answered without writing anything: same body ({@link PlaceOrder#fingerprint()}) → {@code 200} with the original
 * acceptance; different body → {@code 422}. Keys are scoped by account: two principals that use the same key for
 * different accounts name different orders and never see each other's records, and a principal reaches only the keys
 * of the accounts its token acts for ({@code OrderController} refuses the others before any lookup). Concurrent repeats on one instance are
 * coalesced onto the first request's outcome.
 */
@Service
public class OrderIntake {

    private final CommandLog commands;
    private final IdempotencyStore keys;
    private final OrderIds ids;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final Duration syncTimeout;
    private final Executor continuations;
    /** Keyed PLACEs being written by this instance, by order id. */
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

    public OrderIntake(
            CommandLog commands,
            IdempotencyStore keys,
            OrderIds ids,
            Clock clock,
            IngestMetrics metrics,
            IngestSettings settings,
            ExecutorService ingestContinuations) {
        this.commands = commands;
        this.keys = keys;
        this.ids = ids;
        this.clock = clock;
        this.metrics = metrics;
        this.syncTimeout = settings.idempotency().catchUpTimeout();
        this.continuations = ingestContinuations;
    }

    /** The outcome of a request: the body to send and whether it replays an earlier acceptance ({@code 200}). */
    public record Acceptance(CommandAccepted body, boolean replayed) {}

    private record InFlight(String fingerprint, CompletableFuture<Acceptance> outcome) {}

    /** Writes a PLACE command for a new order, or replays the acceptance of an earlier request with the same key. */
    public CompletableFuture<Acceptance> place(PlaceOrder order, Optional<String> idempotencyKey) {
        if (idempotencyKey.isEmpty()) {
            String orderId = OrderRouting.route(ids.next(), order.accountId()).toString();
            return write(order, orderId, ids.next().toString(), null, millis(clock.instant()), List.of());
        }
        String key = idempotencyKey.get();
        String orderId = keyedOrderId(order.accountId(), key);
        String fingerprint = order.fingerprint();
        Optional<CompletableFuture<Acceptance>> known = replay(order, key, orderId, fingerprint);
        if (known.isPresent()) {
            return known.get();
        }
        // Not known here yet: catch up with what other instances (or our predecessor) committed, then decide.
        return keys.sync(syncTimeout)
                .thenComposeAsync(
                        caughtUp -> replay(order, key, orderId, fingerprint)
                                .orElseGet(() -> writeOnce(order, orderId, fingerprint, key)),
                        // sync completes on the store's reader thread; serializing (maybe a registry call) belongs
                        // elsewhere
                        continuations);
    }

    /**
     * Writes a CANCEL command. Whether the order exists, belongs to {@code accountId} and can still be cancelled is the
     * topology's decision.
     *
     * @param accountId the account the caller acts for that the order id is routed to; empty for an admin (any
     *     account). The topology drops a CANCEL whose account is not the order's
     */
    public CompletableFuture<Acceptance> cancel(
            UUID orderId, Optional<String> accountId, Optional<String> idempotencyKey) {
        // A cancel is idempotent by nature (cancelling twice ends in one CANCELLED); a key only pins the command id.
        String commandId = idempotencyKey
                .map(key -> OrderIds.fromName("cancel\u0000" + orderId + "\u0000" + key)
                        .toString())
                .orElseGet(() -> ids.next().toString());
        OrderCommand command = OrderCommand.newBuilder()
                .setCommandId(commandId)
                .setType(CommandType.CANCEL)
                .setOrderId(orderId.toString())
                .setAccountId(accountId.orElse(null))
                .setIdempotencyKey(idempotencyKey.orElse(null))
                .setRequestedAt(millis(clock.instant()))
                .build();
        return commands.append(command).thenApply(committed -> {
            metrics.accepted(CommandType.CANCEL.name(), false);
            return new Acceptance(
                    new CommandAccepted(
                            orderId.toString(),
                            CommandAccepted.CANCEL_REQUESTED,
                            commandId,
                            null,
                            null,
                            command.getRequestedAt().toString()),
                    false);
        });
    }

    /**
     * The order id a keyed PLACE gets: stable for (account, key), so every retry names the same order, and routed to
     * the account ({@link OrderRouting#route}), so that a CANCEL of it finds the account's partition.
     */
    static String keyedOrderId(String accountId, String key) {
        return OrderRouting.route(UUID.fromString(unroutedKeyedOrderId(accountId, key)), accountId)
                .toString();
    }

    /**
     * The id a keyed PLACE got before order ids carried their account's route. Still looked up, so that a retry of a
     * request accepted before the upgrade (keys are remembered for {@code retention}) replays it instead of placing a
     * second order under the new id.
     */
    static String unroutedKeyedOrderId(String accountId, String key) {
        return OrderIds.fromName("place\u0000" + accountId + "\u0000" + key).toString();
    }

    private Optional<CompletableFuture<Acceptance>> replay(
            PlaceOrder order, String key, String routedId, String fingerprint) {
        String orderId = routedId;
        Optional<IdempotencyRecord> record = keys.lookup(routedId);
        if (record.isEmpty()) {
            orderId = unroutedKeyedOrderId(order.accountId(), key);
            record = keys.lookup(orderId);
        }
        if (record.isPresent()) {
            if (!record.get().fingerprint().equals(fingerprint)) {
                return Optional.of(CompletableFuture.failedFuture(new IdempotencyConflictException(orderId)));
            }
            metrics.accepted(CommandType.PLACE.name(), true);
            return Optional.of(CompletableFuture.completedFuture(new Acceptance(
                    accepted(
                            order,
                            orderId,
                            record.get().commandId(),
                            record.get().acceptedAt()),
                    true)));
        }
        InFlight running = inFlight.get(routedId);
        if (running != null) {
            return Optional.of(joinInFlight(running, fingerprint, routedId));
        }
        return Optional.empty();
    }

    private CompletableFuture<Acceptance> writeOnce(PlaceOrder order, String orderId, String fingerprint, String key) {
        CompletableFuture<Acceptance> outcome = new CompletableFuture<>();
        InFlight mine = new InFlight(fingerprint, outcome);
        InFlight running = inFlight.putIfAbsent(orderId, mine);
        if (running != null) {
            return joinInFlight(running, fingerprint, orderId);
        }
        String commandId = OrderIds.fromName("command\u0000" + orderId).toString();
        Instant requestedAt = millis(clock.instant());
        IdempotencyRecord remembered = new IdempotencyRecord(fingerprint, commandId, requestedAt);
        // the key record rides in the command's transaction: both visible, or neither
        write(order, orderId, commandId, key, requestedAt, List.of(keys.record(orderId, remembered)))
                .whenComplete((acceptance, error) -> {
                    if (error == null) {
                        keys.committed(orderId, remembered);
                    }
                    inFlight.remove(orderId, mine);
                    if (error == null) {
                        outcome.complete(acceptance);
                    } else {
                        outcome.completeExceptionally(
                                error instanceof CompletionException wrapped && wrapped.getCause() != null
                                        ? wrapped.getCause()
                                        : error);
                    }
                });
        return outcome;
    }

    private CompletableFuture<Acceptance> joinInFlight(InFlight running, String fingerprint, String orderId) {
        if (!running.fingerprint().equals(fingerprint)) {
            return CompletableFuture.failedFuture(new IdempotencyConflictException(orderId));
        }
        return running.outcome().thenApply(first -> {
            metrics.accepted(CommandType.PLACE.name(), true);
            return new Acceptance(first.body(), true);
        });
    }

    private CompletableFuture<Acceptance> write(
            PlaceOrder order,
            String orderId,
            String commandId,
            String key,
            Instant requestedAt,
            List<ProducerRecord<String, byte[]>> companions) {
        OrderCommand command = placeCommand(order, orderId, commandId, key, requestedAt);
        return commands.append(command, companions).thenApply(committed -> {
            metrics.accepted(CommandType.PLACE.name(), false);
            return new Acceptance(accepted(order, orderId, commandId, requestedAt), false);
        });
    }

    private static CommandAccepted accepted(PlaceOrder order, String orderId, String commandId, Instant at) {
        return new CommandAccepted(
                orderId, CommandAccepted.PENDING, commandId, order.accountId(), order.clientOrderId(), at.toString());
    }

    static OrderCommand placeCommand(
            PlaceOrder order, String orderId, String commandId, String idempotencyKey, Instant requestedAt) {
        return OrderCommand.newBuilder()
                .setCommandId(commandId)
                .setType(CommandType.PLACE)
                .setOrderId(orderId)
                .setAccountId(order.accountId())
                .setClientOrderId(order.clientOrderId())
                .setSymbol(order.symbol())
                .setSide(order.side())
                .setOrderType(order.orderType())
                .setQuantity(order.quantity())
                .setPrice(order.price())
                .setIdempotencyKey(idempotencyKey)
                .setRequestedAt(requestedAt)
                .build();
    }

    /** Avro {@code timestamp-millis}: keep what the wire keeps, so replays and originals compare equal. */
    private static Instant millis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
