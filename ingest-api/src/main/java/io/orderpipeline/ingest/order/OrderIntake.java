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
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
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
    private final InFlightWrites<Acceptance> inFlight;

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
        this.inFlight = new InFlightWrites<>(first -> {
            metrics.accepted(CommandType.PLACE.name(), true);
            return new Acceptance(first.body(), true);
        });
    }

    /** The outcome of a request: the body to send and whether it replays an earlier acceptance ({@code 200}). */
    public record Acceptance(CommandAccepted body, boolean replayed) {}

    /**
     * Writes a PLACE command for a new order, or replays the acceptance of an earlier request with the same key.
     *
     * @param principal who sends it (the token's subject), into {@code OrderCommand.principal}; not part of the key's
     *     fingerprint: the key space is the account's, whoever acts for it
     */
    public CompletableFuture<Acceptance> place(PlaceOrder order, String principal, Optional<String> idempotencyKey) {
        if (idempotencyKey.isEmpty()) {
            String orderId = OrderRouting.route(ids.next(), order.accountId()).toString();
            return write(order, principal, orderId, ids.next().toString(), null, millis(clock.instant()), List.of());
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
                                .orElseGet(() -> writeOnce(order, principal, orderId, fingerprint, key)),
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
     * @param principal who asks (the token's subject), into {@code OrderCommand.principal}
     */
    public CompletableFuture<Acceptance> cancel(
            UUID orderId, Optional<String> accountId, String principal, Optional<String> idempotencyKey) {
        return request(CommandType.CANCEL, orderId, accountId, principal, idempotencyKey, "", command -> {});
    }

    /**
     * Writes an AMEND command: {@code change.quantity()} ({@link AmendOrder#KEEP_QUANTITY} keeps it) and {@code
     * change.price()} ({@code null} keeps it). Whether the order exists, belongs to {@code accountId} and may be amended
     * that way (validated again: lot, tick, band, account limit, more than what is filled) is the topology's decision,
     * as for a CANCEL.
     */
    public CompletableFuture<Acceptance> amend(
            UUID orderId,
            Optional<String> accountId,
            AmendOrder change,
            String principal,
            Optional<String> idempotencyKey) {
        return request(
                CommandType.AMEND,
                orderId,
                accountId,
                principal,
                idempotencyKey,
                // the key pins the command id of this very change: another change with the same key is another command
                "\u0000" + change.quantity() + "\u0000" + change.price(),
                command -> command.setQuantity(change.quantity()).setPrice(change.price()));
    }

    /**
     * A command about an existing order (CANCEL, AMEND): keyed by the order id, to the partition its id routes to. Such
     * a request is idempotent at the topology (the same change twice ends in one state), so a key only pins the command
     * id, so that a retry is recognisable; no idempotency record is kept.
     *
     * @param change what else names the command when a key is given ({@code ""} for a CANCEL)
     */
    private CompletableFuture<Acceptance> request(
            CommandType type,
            UUID orderId,
            Optional<String> accountId,
            String principal,
            Optional<String> idempotencyKey,
            String change,
            Consumer<OrderCommand.Builder> details) {
        String commandId = idempotencyKey
                .map(key -> OrderIds.fromName(
                                type.name().toLowerCase(Locale.ROOT) + "\u0000" + orderId + "\u0000" + key + change)
                        .toString())
                .orElseGet(() -> ids.next().toString());
        OrderCommand.Builder builder = OrderCommand.newBuilder()
                .setCommandId(commandId)
                .setType(type)
                .setOrderId(orderId.toString())
                .setAccountId(accountId.orElse(null))
                .setIdempotencyKey(idempotencyKey.orElse(null))
                .setPrincipal(principal)
                .setRequestedAt(millis(clock.instant()));
        details.accept(builder);
        OrderCommand command = builder.build();
        String status = type == CommandType.CANCEL ? CommandAccepted.CANCEL_REQUESTED : CommandAccepted.AMEND_REQUESTED;
        return commands.append(command).thenApply(committed -> {
            metrics.accepted(type.name(), false);
            return new Acceptance(
                    new CommandAccepted(
                            orderId.toString(),
                            status,
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
        return inFlight.join(routedId, fingerprint);
    }

    private CompletableFuture<Acceptance> writeOnce(
            PlaceOrder order, String principal, String orderId, String fingerprint, String key) {
        String commandId = OrderIds.fromName("command\u0000" + orderId).toString();
        Instant requestedAt = millis(clock.instant());
        IdempotencyRecord remembered = new IdempotencyRecord(fingerprint, commandId, requestedAt);
        return inFlight.writeOnce(
                orderId,
                fingerprint,
                // the key record rides in the command's transaction: both visible, or neither
                () -> write(
                        order,
                        principal,
                        orderId,
                        commandId,
                        key,
                        requestedAt,
                        List.of(keys.record(orderId, remembered))),
                committed -> keys.committed(orderId, remembered));
    }

    private CompletableFuture<Acceptance> write(
            PlaceOrder order,
            String principal,
            String orderId,
            String commandId,
            String key,
            Instant requestedAt,
            List<ProducerRecord<String, byte[]>> companions) {
        OrderCommand command = placeCommand(order, principal, orderId, commandId, key, requestedAt);
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
            PlaceOrder order,
            String principal,
            String orderId,
            String commandId,
            String idempotencyKey,
            Instant requestedAt) {
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
                .setPrincipal(principal)
                .setRequestedAt(requestedAt)
                .build();
    }

    /** Avro {@code timestamp-millis}: keep what the wire keeps, so replays and originals compare equal. */
    static Instant millis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
