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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.stereotype.Service;

/**
 * Writes the valid orders of a batch as PLACE commands in <em>one</em> Kafka transaction ({@link
 * CommandLog#appendAll}): the future completes once all of them are committed, or fails and none of them ever becomes
 * visible. Each order gets an id routed to its account, as a single {@code POST /orders} does ({@link OrderIntake}).
 *
 * <p><b>Idempotency-Key</b> applies to the batch as a whole and is scoped by the caller (the token's {@code sub}): two
 * principals with the same key name different batches and different orders. Its orders get the ids {@code
 * UUIDv5(subject, accountId, key, index)}, routed, so every repeat names the same orders; one idempotency record for
 * the batch ({@code UUIDv5("batch", subject, key)}, holding the fingerprint of the whole body and the acceptance time) is committed in the same
 * transaction. A repeat with the same body is answered with the original acceptance (same ids, same {@code
 * acceptedAt}) and writes nothing; with another body it is {@link IdempotencyConflictException} ({@code 422}).
 * Concurrent repeats on one instance are coalesced onto the first request's outcome. A batch key and a single-order
 * key never name the same request.
 */
@Service
public class BatchIntake {

    private final CommandLog commands;
    private final IdempotencyStore keys;
    private final OrderIds ids;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final Duration syncTimeout;
    private final Executor continuations;
    /** Keyed batches being written by this instance, by batch id. */
    private final InFlightWrites<Answer> inFlight;

    public BatchIntake(
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
            count(first.body(), true);
            return new Answer(first.body(), true);
        });
    }

    /**
     * One order of a batch as the edge checked it: {@code order} when valid, else the violations a single POST of it
     * would have been refused with.
     *
     * @param canonical what identifies the order for the batch's fingerprint
     */
    public record Entry(int index, PlaceOrder order, List<FieldViolation> violations, String canonical) {

        public static Entry valid(int index, PlaceOrder order) {
            return new Entry(index, order, List.of(), "v:" + order.fingerprint());
        }

        public static Entry invalid(int index, List<FieldViolation> violations, String body) {
            return new Entry(index, null, List.copyOf(violations), "x:" + body);
        }

        boolean isValid() {
            return order != null;
        }
    }

    /** The outcome of a batch: the body to send and whether it replays an earlier acceptance ({@code 200}). */
    public record Answer(BatchAccepted body, boolean replayed) {}

    /**
     * Writes the valid entries (at least one) in one transaction, or replays the batch accepted before with the same
     * key by the same caller.
     *
     * @param subject who sends the batch (the token's {@code sub}): the space of its keys, and every command's {@code
     *     principal}
     */
    public CompletableFuture<Answer> place(List<Entry> entries, String subject, Optional<String> idempotencyKey) {
        if (entries.stream().noneMatch(Entry::isValid)) {
            throw new IllegalArgumentException("a batch without a valid order is refused before it gets here");
        }
        Instant requestedAt = OrderIntake.millis(clock.instant());
        if (idempotencyKey.isEmpty()) {
            List<String> orderIds = entries.stream()
                    .map(e -> e.isValid()
                            ? OrderRouting.route(ids.next(), e.order().accountId())
                                    .toString()
                            : null)
                    .toList();
            return write(
                    entries,
                    subject,
                    orderIds,
                    null,
                    requestedAt,
                    List.of(),
                    id -> ids.next().toString());
        }
        // the caller's key space: a key names (subject, key), never another principal's batch
        String key = idempotencyKey.get();
        String scopedKey = subject + "\u0000" + key;
        String batchId = OrderIds.fromName("batch\u0000" + scopedKey).toString();
        String fingerprint = fingerprint(entries);
        Optional<CompletableFuture<Answer>> known = replay(entries, scopedKey, batchId, fingerprint);
        if (known.isPresent()) {
            return known.get();
        }
        // Not known here yet: catch up with what other instances (or our predecessor) committed, then decide.
        return keys.sync(syncTimeout)
                .thenComposeAsync(
                        caughtUp -> replay(entries, scopedKey, batchId, fingerprint)
                                .orElseGet(() ->
                                        writeOnce(entries, subject, scopedKey, key, batchId, fingerprint, requestedAt)),
                        continuations);
    }

    /**
     * The id of the order at {@code index} of a keyed batch: stable for (subject, account, key, index), routed.
     *
     * @param scopedKey {@code subject + "\0" + key}
     */
    static String keyedOrderId(String accountId, String scopedKey, int index) {
        UUID named = OrderIds.fromName("batch\u0000" + accountId + "\u0000" + scopedKey + "\u0000" + index);
        return OrderRouting.route(named, accountId).toString();
    }

    private Optional<CompletableFuture<Answer>> replay(
            List<Entry> entries, String scopedKey, String batchId, String fingerprint) {
        Optional<IdempotencyRecord> record = keys.lookup(batchId);
        if (record.isPresent()) {
            if (!record.get().fingerprint().equals(fingerprint)) {
                return Optional.of(CompletableFuture.failedFuture(new IdempotencyConflictException(batchId)));
            }
            BatchAccepted original = answer(
                    entries, keyedOrderIds(entries, scopedKey), record.get().acceptedAt());
            count(original, true);
            return Optional.of(CompletableFuture.completedFuture(new Answer(original, true)));
        }
        return inFlight.join(batchId, fingerprint);
    }

    /** @param key as the client sent it, into each command's {@code idempotencyKey} */
    private CompletableFuture<Answer> writeOnce(
            List<Entry> entries,
            String subject,
            String scopedKey,
            String key,
            String batchId,
            String fingerprint,
            Instant requestedAt) {
        IdempotencyRecord remembered = new IdempotencyRecord(fingerprint, batchId, requestedAt);
        return inFlight.writeOnce(
                batchId,
                fingerprint,
                // the batch's key record rides in the batch's transaction: all visible, or nothing
                () -> write(
                        entries,
                        subject,
                        keyedOrderIds(entries, scopedKey),
                        key,
                        requestedAt,
                        List.of(keys.record(batchId, remembered)),
                        orderId -> OrderIds.fromName("command\u0000" + orderId).toString()),
                committed -> keys.committed(batchId, remembered));
    }

    /**
     * @param orderIds per entry, its order id ({@code null} for an invalid entry)
     * @param commandIds the command id of an order id
     */
    private CompletableFuture<Answer> write(
            List<Entry> entries,
            String subject,
            List<String> orderIds,
            String key,
            Instant requestedAt,
            List<ProducerRecord<String, byte[]>> companions,
            UnaryOperator<String> commandIds) {
        List<OrderCommand> placed = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.isValid()) {
                String orderId = orderIds.get(entry.index());
                placed.add(OrderIntake.placeCommand(
                        entry.order(), subject, orderId, commandIds.apply(orderId), key, requestedAt));
            }
        }
        return commands.appendAll(placed, companions).thenApply(committed -> {
            BatchAccepted body = answer(entries, orderIds, requestedAt);
            count(body, false);
            return new Answer(body, false);
        });
    }

    private static List<String> keyedOrderIds(List<Entry> entries, String scopedKey) {
        return entries.stream()
                .map(e -> e.isValid() ? keyedOrderId(e.order().accountId(), scopedKey, e.index()) : null)
                .toList();
    }

    private static BatchAccepted answer(List<Entry> entries, List<String> orderIds, Instant acceptedAt) {
        List<BatchItem> items = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            items.add(
                    entry.isValid()
                            ? BatchItem.accepted(entry.index(), orderIds.get(entry.index()))
                            : BatchItem.rejected(entry.index(), entry.violations()));
        }
        return BatchAccepted.of(items, acceptedAt.toString());
    }

    private void count(BatchAccepted body, boolean replayed) {
        metrics.accepted(CommandType.PLACE.name(), replayed, body.accepted());
        metrics.rejected("invalid_batch_item", body.rejected());
    }

    /** What tells "the same batch again" from "another batch with the same key": every order, in order. */
    static String fingerprint(List<Entry> entries) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Entry entry : entries) {
                sha.update(entry.canonical().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1e);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
