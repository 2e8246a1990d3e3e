package io.orderpipeline.ingest.order;

import io.orderpipeline.ingest.idempotency.IdempotencyConflictException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The keyed writes this instance is making, by the id their key names (an order id, a batch id). A concurrent repeat
 * of a request whose write is still running is coalesced onto its outcome (same fingerprint), or refused as a conflict
 * (another fingerprint), so two requests with one key never write twice on one instance. Across instances the
 * idempotency store decides, once the first write is committed.
 *
 * @param <T> the outcome of a write
 */
final class InFlightWrites<T> {

    private record InFlight<T>(String fingerprint, CompletableFuture<T> outcome) {}

    private final Map<String, InFlight<T>> running = new ConcurrentHashMap<>();
    /** The outcome as a repeat is answered (a replay). */
    private final UnaryOperator<T> asReplay;

    InFlightWrites(UnaryOperator<T> asReplay) {
        this.asReplay = asReplay;
    }

    /** The outcome of the running write of {@code id}, as a replay; empty when none is running. */
    Optional<CompletableFuture<T>> join(String id, String fingerprint) {
        InFlight<T> current = running.get(id);
        return current == null ? Optional.empty() : Optional.of(join(current, id, fingerprint));
    }

    /**
     * Runs {@code write} unless a write of {@code id} is running already (then joins it).
     *
     * @param committed called with the outcome once the write succeeded, before anyone waiting on it hears of it
     */
    CompletableFuture<T> writeOnce(
            String id, String fingerprint, Supplier<CompletableFuture<T>> write, Consumer<T> committed) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        InFlight<T> mine = new InFlight<>(fingerprint, outcome);
        InFlight<T> current = running.putIfAbsent(id, mine);
        if (current != null) {
            return join(current, id, fingerprint);
        }
        write.get().whenComplete((result, error) -> {
            if (error == null) {
                committed.accept(result);
            }
            running.remove(id, mine);
            if (error == null) {
                outcome.complete(result);
            } else {
                outcome.completeExceptionally(
                        error instanceof CompletionException wrapped && wrapped.getCause() != null
                                ? wrapped.getCause()
                                : error);
            }
        });
        return outcome;
    }

    private CompletableFuture<T> join(InFlight<T> current, String id, String fingerprint) {
        if (!current.fingerprint().equals(fingerprint)) {
            return CompletableFuture.failedFuture(new IdempotencyConflictException(id));
        }
        return current.outcome().thenApply(asReplay);
    }
}
