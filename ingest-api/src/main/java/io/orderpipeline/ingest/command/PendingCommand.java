package io.orderpipeline.ingest.command;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request waiting in a committer's queue: its records (its command or commands, and their companions) and the
 * future that tells the request the outcome. It is either taken into a transaction or expired by the timer, never
 * both; its records are never split over two transactions.
 */
final class PendingCommand {

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int EXPIRED = 2;

    /** The order (or, for a batch, the orders) the request is about, for logs and answers. */
    final String orderId;

    final List<OutgoingRecord> records;
    final CompletableFuture<Void> result = new CompletableFuture<>();
    final long start = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    PendingCommand(String orderId, List<OutgoingRecord> records) {
        this.orderId = orderId;
        this.records = records;
    }

    /** Claims the request for a transaction; false if it expired first. */
    boolean take() {
        return state.compareAndSet(QUEUED, TAKEN);
    }

    /** Claims the request for a "not written" answer; false if a transaction took it first. */
    boolean expire() {
        return state.compareAndSet(QUEUED, EXPIRED);
    }
}
