package io.orderpipeline.ingest.idempotency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the idempotency reader has got to, per partition, and the futures waiting for it to get somewhere (a {@code
 * sync}, the initial load). The reader {@linkplain #advance advances} it after every poll; a waiter completes once every
 * partition's position has reached its target.
 */
final class ReaderPositions {

    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();

    /** The position of {@code partition}, or null if the reader has not read it yet. */
    Long get(TopicPartition partition) {
        return positions.get(partition);
    }

    /** Completes {@code done} once every partition of {@code target} has been read up to its offset. */
    void await(Map<TopicPartition, Long> target, CompletableFuture<Void> done) {
        Waiter waiter = new Waiter(target, done);
        synchronized (waiters) {
            if (!waiter.reached(positions)) {
                waiters.add(waiter);
                return;
            }
        }
        done.complete(null);
    }

    /** Records the reader's positions after a poll and releases the waiters that have been reached. */
    void advance(Map<TopicPartition, Long> read) {
        positions.putAll(read);
        List<Waiter> released = new ArrayList<>();
        synchronized (waiters) {
            waiters.removeIf(waiter -> {
                if (waiter.done().isDone() || waiter.reached(positions)) {
                    released.add(waiter);
                    return true;
                }
                return false;
            });
        }
        // outside the lock: completing runs the waiters' continuations
        released.forEach(waiter -> waiter.done().complete(null));
    }

    /** Fails every waiter (the store stops). */
    void failAll(RuntimeException error) {
        List<Waiter> failed;
        synchronized (waiters) {
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        failed.forEach(waiter -> waiter.done().completeExceptionally(error));
    }

    @Override
    public String toString() {
        return positions.toString();
    }

    private record Waiter(Map<TopicPartition, Long> target, CompletableFuture<Void> done) {
        boolean reached(Map<TopicPartition, Long> positions) {
            return target.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
        }
    }
}
