package io.orderpipeline.ingest.command;

import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.shared.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One committer of the {@link CommandLog}: its queue, its transactional producer and the thread that runs its
 * transactions one after another.
 *
 * <p><b>A request is taken only by a ready producer</b> (initialized, no transaction left to abort). Making it ready
 * happens between transactions, with backoff, while requests wait in the queue; a request that is not taken within
 * {@code max-block} is answered "not written". So each phase of a request has one bound: queue {@code max-block},
 * sends {@code delivery-timeout}, commit {@code commit-timeout}.
 *
 * <p><b>Recovery.</b> The committer never ends while the log runs. Kafka errors are expected (broker away, fenced,
 * transaction timed out) and handled where they occur: the transaction is aborted, or the producer closed and a new
 * one made ready. Anything else escaping a transaction (a bug, an {@link Error}) is logged with its stack trace,
 * counted ({@code ingest.committer.restarts}), and the committer starts over with a new producer after a backoff; the
 * requests of the transaction it was running are answered (not written, or outcome unknown once the commit was asked
 * for). While it is not ready, readiness says DOWN.
 */
final class Committer {

    private static final Logger log = LoggerFactory.getLogger(Committer.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);

    private final int index;
    private final CommandQueue queue;
    private final IntFunction<Producer<String, byte[]>> producers;
    private final Shared shared;
    private final IngestSettings.Producer settings;
    private final CommandLogMetrics metrics;
    private final Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);

    private volatile boolean ready;
    private volatile String problem = "starting";
    private volatile Thread thread;

    // confined to the committer thread
    private Producer<String, byte[]> producer;
    /** The current producer has a transaction that must be aborted before the next one begins. */
    private boolean needsAbort;

    private long nextAttempt = System.nanoTime();
    /** The transaction being run, so that an unexpected failure can still answer its requests. */
    private List<PendingCommand> inHand = List.of();

    private boolean commitAsked;

    /**
     * What every committer of one log shares.
     *
     * @param topic the commands topic, whose metadata a new producer fetches before traffic needs it
     * @param partitions the commands topic's partition count, which a CANCEL's partition depends on
     * @param warmUp run once per new producer (registers the command schema), failures ignored
     * @param running whether the log runs
     * @param timer answers "outcome unknown" after {@code commit-timeout}
     */
    record Shared(
            IngestSettings.Producer settings,
            String topic,
            PartitionCount partitions,
            Runnable warmUp,
            BooleanSupplier running,
            ScheduledExecutorService timer,
            CommandLogMetrics metrics) {}

    Committer(int index, CommandQueue queue, IntFunction<Producer<String, byte[]>> producers, Shared shared) {
        this.index = index;
        this.queue = queue;
        this.producers = producers;
        this.shared = shared;
        this.settings = shared.settings();
        this.metrics = shared.metrics();
    }

    /** Whether the producer is initialized, has nothing to abort and is not retrying a commit. */
    boolean ready() {
        return ready;
    }

    /** "ready", or what keeps the committer from being ready. */
    String state() {
        return ready ? "ready" : "not ready: " + problem;
    }

    void start() {
        Thread committer = new Thread(this::run, "command-log-committer-" + index);
        committer.setDaemon(true);
        thread = committer;
        committer.start();
    }

    void join(Duration timeout) {
        Thread committer = thread;
        if (committer != null) {
            try {
                committer.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            // once stopping, what is queued is still committed if the producer is ready; stop() fails the rest
            while (shared.running().getAsBoolean() || (ready && !queue.isEmpty())) {
                try {
                    step();
                } catch (InterruptedException e) {
                    // nobody interrupts a committer; should something do it anyway, only stopping ends it
                    log.warn(
                            "Command log committer {} interrupted; {}",
                            index,
                            shared.running().getAsBoolean() ? "ignored" : "stops");
                } catch (Throwable e) {
                    // deliberately everything, Errors included: a committer that ended here would leave its
                    // requests unanswered until max-block, for good, with nobody told
                    recover(e);
                }
            }
        } finally {
            closeProducer(Duration.ofSeconds(5));
        }
    }

    private void step() throws InterruptedException {
        if (!ready) {
            long wait = nextAttempt - System.nanoTime();
            if (wait > 0) {
                // requests wait in the queue meanwhile; the timer answers them after max-block
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, IDLE_POLL.toNanos()));
                return;
            }
            prepare();
            return;
        }
        List<PendingCommand> batch = queue.takeBatch(IDLE_POLL, settings.maxBatch());
        if (!batch.isEmpty()) {
            run(batch);
        }
    }

    /** Makes the producer ready: a new one if there is none, the pending abort if there is one. */
    private void prepare() {
        try {
            if (producer == null) {
                Producer<String, byte[]> created = producers.apply(index);
                try {
                    created.initTransactions();
                } catch (RuntimeException e) {
                    // initTransactions may be retried after a timeout, but a fresh producer is simpler and equivalent
                    close(created, Duration.ZERO);
                    throw e;
                }
                producer = created;
                needsAbort = false;
                warmUpNewProducer();
            }
            if (needsAbort) {
                try {
                    producer.abortTransaction();
                } catch (TimeoutException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // fenced or in a fatal state: only a new producer can go on
                    closeProducer(Duration.ZERO);
                    throw e;
                }
                needsAbort = false;
            }
        } catch (KafkaException e) {
            // expected while the broker is away, or after a fencing: try again after a backoff
            notReady(e.toString());
            return;
        }
        backoff.reset();
        if (!ready) {
            log.info("Transactional command producer {} ready", index);
        }
        ready = true;
        problem = "";
    }

    private void warmUpNewProducer() {
        try {
            // metadata now, so that the first request does not wait for it (max.block.ms) on top of its sends
            shared.partitions().learn(producer);
            shared.warmUp().run();
        } catch (RuntimeException e) {
            log.debug("Command log {} warm-up incomplete: {}", index, e.toString());
        }
    }

    /** One transaction: send every record, wait for every acknowledgement, commit. */
    private void run(List<PendingCommand> batch) {
        inHand = batch;
        commitAsked = false;
        Producer<String, byte[]> p = producer;
        // send phase: until commitTransaction() is called, nothing can become visible
        long sendDeadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
        try {
            p.beginTransaction();
            needsAbort = true;
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (PendingCommand pending : batch) {
                for (OutgoingRecord record : pending.records) {
                    sends.add(p.send(record.toSend(() -> shared.partitions().of(p))));
                }
            }
            for (Future<RecordMetadata> send : sends) {
                awaitAck(send, sendDeadline);
            }
        } catch (KafkaException e) {
            // Answer first, abort second: this transaction is never committed, so none of its records can ever
            // become visible, whenever the abort happens (now, once the broker is back, by the next producer's
            // initTransactions or by the coordinator after transaction-timeout). Aborting first would add up to
            // max-block to every 503.
            inHand = List.of();
            log.warn("{} command(s) not written (transaction aborted): {}", batch.size(), e.toString());
            batch.forEach(pending -> metrics.fail(pending, new CommandNotWrittenException(pending.orderId, e)));
            abort(p, e);
            return;
        }
        commit(p, batch);
        inHand = List.of();
    }

    private void awaitAck(Future<RecordMetadata> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("records not acknowledged within " + settings.deliveryTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /**
     * Commit phase: from here on, the broker may record the commit even if we never hear back. The requests are told
     * "outcome unknown" once {@code commit-timeout} has passed without a confirmation, by the timer, while this thread
     * keeps retrying the commit: the transaction is resolved, one way or the other, before the next one begins.
     */
    private void commit(Producer<String, byte[]> p, List<PendingCommand> batch) {
        commitAsked = true;
        AtomicBoolean answered = new AtomicBoolean();
        ScheduledFuture<?> unknownAfter = shared.timer()
                .schedule(
                        () -> unknown(
                                batch,
                                answered,
                                new TimeoutException("commit not confirmed within " + settings.commitTimeout())),
                        settings.commitTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
        try {
            commitUntilResolved(p, batch, answered);
        } finally {
            unknownAfter.cancel(false);
        }
    }

    private void commitUntilResolved(Producer<String, byte[]> p, List<PendingCommand> batch, AtomicBoolean answered) {
        while (true) {
            try {
                p.commitTransaction();
                needsAbort = false;
                if (answered.compareAndSet(false, true)) {
                    metrics.committed(batch);
                } else {
                    log.info("Commit of {} command(s) told 'outcome unknown' went through after all", batch.size());
                }
                if (!ready) {
                    log.info("Transactional command producer {} ready", index);
                    ready = true;
                    problem = "";
                }
                return;
            } catch (TimeoutException e) {
                ready = false;
                problem = "commit of " + batch.size() + " command(s) not confirmed yet";
                if (!shared.running().getAsBoolean() && answered.get()) {
                    // shutting down: the next producer with this transactional.id resolves it on initTransactions
                    closeProducer(Duration.ZERO);
                    return;
                }
                // only a retried commit is allowed now; keep the producer until the broker answers
            } catch (KafkaException e) {
                // fenced or otherwise fatal during commit: whether the commit was recorded is unknown
                closeProducer(Duration.ZERO);
                unknown(batch, answered, e);
                notReady(e.toString());
                return;
            }
        }
    }

    private void unknown(List<PendingCommand> batch, AtomicBoolean answered, RuntimeException cause) {
        if (answered.compareAndSet(false, true)) {
            metrics.unknown();
            log.warn(
                    "Commit of {} command(s) not confirmed ({}); outcome unknown until the broker answers",
                    batch.size(),
                    cause.toString());
            batch.forEach(pending -> metrics.fail(pending, new CommandOutcomeUnknownException(pending.orderId, cause)));
        }
    }

    private void abort(Producer<String, byte[]> p, KafkaException cause) {
        metrics.aborted();
        if (fatal(cause)) {
            closeProducer(Duration.ZERO);
            notReady(cause.toString());
            return;
        }
        try {
            p.abortTransaction();
            needsAbort = false;
        } catch (TimeoutException e) {
            // retried before the next transaction; the coordinator aborts it anyway after transaction.timeout.ms
            notReady("abort pending: " + e);
        } catch (RuntimeException e) {
            closeProducer(Duration.ZERO);
            notReady(e.toString());
        }
    }

    /** After an unexpected failure: answer what was in hand, drop the producer, start over after a backoff. */
    private void recover(Throwable failure) {
        ready = false;
        problem = "recovering from " + failure;
        metrics.restarted();
        Duration pause = backoff.next();
        nextAttempt = System.nanoTime() + pause.toNanos();
        log.error(
                "Command log committer {} failed unexpectedly; closing its producer and starting over in {} ms",
                index,
                pause.toMillis(),
                failure);
        // its transaction is never committed now: the next producer's initTransactions aborts it
        List<PendingCommand> held = inHand;
        inHand = List.of();
        for (PendingCommand pending : held) {
            metrics.fail(
                    pending,
                    commitAsked
                            ? new CommandOutcomeUnknownException(pending.orderId, failure)
                            : new CommandNotWrittenException(pending.orderId, failure));
        }
        commitAsked = false;
        closeProducer(Duration.ZERO);
    }

    private void notReady(String why) {
        if (ready) {
            log.warn("Transactional command producer {} not ready: {}", index, why);
        } else {
            log.debug("Transactional command producer {} not ready yet: {}", index, why);
        }
        ready = false;
        problem = why;
        nextAttempt = System.nanoTime() + backoff.next().toNanos();
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            close(producer, timeout);
            producer = null;
        }
        needsAbort = false;
        ready = false;
    }

    private void close(Producer<String, byte[]> p, Duration timeout) {
        try {
            p.close(timeout);
        } catch (RuntimeException e) {
            log.debug("closing producer {}: {}", index, e.toString());
        }
    }

    private static boolean fatal(Throwable e) {
        return e instanceof ProducerFencedException
                || e instanceof InvalidProducerEpochException
                || e instanceof OutOfOrderSequenceException
                || e instanceof UnsupportedVersionException
                || e instanceof AuthorizationException;
    }
}
