package io.orderpipeline.ingest.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command log's meters, and the one place that completes a request's future, so that every request is counted
 * once with the outcome it was told: {@code ingest.produce.latency{outcome}}, {@code ingest.transactions{outcome}},
 * {@code ingest.transaction.records} and {@code ingest.committer.restarts} (a committer recovered from an unexpected
 * failure).
 */
final class CommandLogMetrics {

    private final Timer committedLatency;
    private final Timer failedLatency;
    private final Timer unknownLatency;
    private final DistributionSummary batchSize;
    private final Counter committedTransactions;
    private final Counter abortedTransactions;
    private final Counter unknownTransactions;
    private final Counter restarts;

    CommandLogMetrics(MeterRegistry meters, String topic) {
        this.committedLatency = latency(meters, topic, "committed");
        this.failedLatency = latency(meters, topic, "not_written");
        this.unknownLatency = latency(meters, topic, "unknown");
        this.batchSize = DistributionSummary.builder("ingest.transaction.records")
                .description("Records per commands transaction (group commit)")
                .register(meters);
        this.committedTransactions = transactions(meters, "committed");
        this.abortedTransactions = transactions(meters, "aborted");
        this.unknownTransactions = transactions(meters, "unknown");
        this.restarts = Counter.builder("ingest.committer.restarts")
                .description("Committers that recovered from an unexpected failure (new producer after a backoff)")
                .register(meters);
    }

    void committed(List<PendingCommand> batch) {
        committedTransactions.increment();
        batchSize.record(
                batch.stream().mapToInt(pending -> pending.records.size()).sum());
        batch.forEach(this::succeed);
    }

    void aborted() {
        abortedTransactions.increment();
    }

    void unknown() {
        unknownTransactions.increment();
    }

    void restarted() {
        restarts.increment();
    }

    double restarts() {
        return restarts.count();
    }

    /** Completes the request as committed, unless it was answered already. */
    void succeed(PendingCommand pending) {
        if (pending.result.complete(null)) {
            committedLatency.record(System.nanoTime() - pending.start, TimeUnit.NANOSECONDS);
        }
    }

    /** Fails the request with {@code error}, unless it was answered already. */
    void fail(PendingCommand pending, RuntimeException error) {
        if (pending.result.completeExceptionally(error)) {
            (error instanceof CommandOutcomeUnknownException ? unknownLatency : failedLatency)
                    .record(System.nanoTime() - pending.start, TimeUnit.NANOSECONDS);
        }
    }

    /** A request refused before it was queued. */
    void refusedAtOnce() {
        failedLatency.record(0, TimeUnit.NANOSECONDS);
    }

    private static Timer latency(MeterRegistry meters, String topic, String outcome) {
        return Timer.builder("ingest.produce.latency")
                .description("Time from queueing a command to the outcome of its transaction")
                .tag("topic", topic)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters);
    }

    private static Counter transactions(MeterRegistry meters, String outcome) {
        return Counter.builder("ingest.transactions")
                .description("Commands transactions by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }
}
