package io.orderpipeline.ingest.command;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One request waiting in a committer's queue: its records (the command and its companions) and the future that tells
 * the request the outcome. It is either taken into a transaction or expired by the timer, never both.
 */
final class PendingCommand {

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int EXPIRED = 2;

    final String orderId;
    final List<ProducerRecord<String, byte[]>> records;
    final CompletableFuture<Void> result = new CompletableFuture<>();
    final long start = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    PendingCommand(String orderId, List<ProducerRecord<String, byte[]>> records) {
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
