package io.orderpipeline.ingest.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One committer's bounded queue of requests. Expired requests stay in it until taken; {@link #takeBatch} skips them,
 * so a request is either in a transaction or answered "not written" by the timer, never both.
 */
final class CommandQueue {

    private final BlockingQueue<PendingCommand> queue;

    CommandQueue(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    /** False if the queue is full. */
    boolean offer(PendingCommand pending) {
        return queue.offer(pending);
    }

    /** Removes and returns the next request, or null. */
    PendingCommand poll() {
        return queue.poll();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Waits up to {@code wait} for a first request, then takes what else is queued, up to {@code maxRecords} records
     * in all (at least the first request's).
     */
    List<PendingCommand> takeBatch(Duration wait, int maxRecords) throws InterruptedException {
        List<PendingCommand> batch = new ArrayList<>();
        int records = 0;
        for (PendingCommand next = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
                next != null;
                next = records < maxRecords ? queue.poll() : null) {
            if (next.take()) {
                batch.add(next);
                records += next.records.size();
            }
        }
        return batch;
    }
}
