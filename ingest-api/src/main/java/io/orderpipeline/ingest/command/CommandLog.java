package io.orderpipeline.ingest.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Appends commands to {@code orders.commands} in Kafka transactions, so that a failed request leaves nothing that a
 * {@code read_committed} consumer (the stream-processor, with {@code exactly_once_v2}) could ever see.
 *
 * <p><b>Group commit.</b> Requests are queued; a committer thread takes whatever is queued (up to {@code
 * max-batch} records), opens a transaction, sends the records, waits until every one is acknowledged ({@code
 * acks=all}, idempotent producer) and commits. {@code committers} committers (each with its own producer and
 * {@code transactional.id}) run side by side, so a request waits for at most one transaction ahead of its own. Each request's future completes with the outcome of its transaction:
 *
 * <ul>
 *   <li><b>committed</b>: the command (and the request's companion records, such as its idempotency record) are
 *       durable and visible together;
 *   <li>{@link CommandNotWrittenException}: the request waited in the queue longer than {@code max-block}, or a send
 *       failed before the commit was asked for. The transaction is aborted (now, or when the broker is back, or by the
 *       coordinator after {@code transaction-timeout}): the records never become visible. This is what a broker outage
 *       produces, including records the broker had appended but not acknowledged;
 *   <li>{@link CommandOutcomeUnknownException}: every record was acknowledged, the commit was asked for, and the
 *       broker went away before confirming it within {@code commit-timeout}. Kafka cannot say whether the commit was
 *       recorded. The window is one commit round trip; the committer keeps retrying the commit, so the transaction is
 *       resolved (one way or the other) before the next one starts.
 * </ul>
 *
 * <p><b>Ordering.</b> Commands of one order share a key, hence a partition, and a committer (chosen by the order
 * id's hash); a committer commits its transactions one after another, so commands of one order are appended in the
 * order their requests were queued.
 *
 * <p><b>Time bound.</b> A request is answered within {@code max-block} (queue) + {@code delivery-timeout} (sends) +
 * {@code commit-timeout}.
 */
public class CommandLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandLog.class);
    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int EXPIRED = 2;
    /** Serialized once at start-up to register the schema; never sent. */
    private static final OrderCommand WARM_UP = OrderCommand.newBuilder()
            .setCommandId("warm-up")
            .setType(CommandType.CANCEL)
            .setOrderId("warm-up")
            .setRequestedAt(Instant.EPOCH)
            .build();

    private final IntFunction<Producer<String, byte[]>> producers;
    private final Topic<String, OrderCommand> topic;
    private final Serializer<OrderCommand> serializer;
    private final IngestSettings.Producer settings;
    private final List<Lane> lanes;
    private final ScheduledExecutorService timer;

    private final Timer committedLatency;
    private final Timer failedLatency;
    private final Timer unknownLatency;
    private final DistributionSummary batchSize;
    private final Counter committedTransactions;
    private final Counter abortedTransactions;
    private final Counter unknownTransactions;

    private volatile boolean running;

    /**
     * @param producers a new transactional producer for committer {@code i} (0 until {@code committers - 1}); each
     *     committer needs its own {@code transactional.id}
     */
    public CommandLog(
            IntFunction<Producer<String, byte[]>> producers,
            Topic<String, OrderCommand> topic,
            IngestSettings.Producer settings,
            MeterRegistry meters) {
        this.producers = producers;
        this.topic = topic;
        this.serializer = topic.valueSerde().serializer();
        this.settings = settings;
        int queuedPerLane = Math.max(1, settings.maxQueued() / settings.committers());
        List<Lane> created = new ArrayList<>();
        for (int i = 0; i < settings.committers(); i++) {
            created.add(new Lane(i, queuedPerLane));
        }
        this.lanes = List.copyOf(created);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "command-log-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.committedLatency = latency(meters, "committed");
        this.failedLatency = latency(meters, "not_written");
        this.unknownLatency = latency(meters, "unknown");
        this.batchSize = DistributionSummary.builder("ingest.transaction.records")
                .description("Records per commands transaction (group commit)")
                .register(meters);
        this.committedTransactions = transactions(meters, "committed");
        this.abortedTransactions = transactions(meters, "aborted");
        this.unknownTransactions = transactions(meters, "unknown");
    }

    /** The record of {@code command} on the commands topic, keyed by order id. */
    public ProducerRecord<String, byte[]> record(OrderCommand command) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serializer.serialize(topic.name(), headers, command);
        return new ProducerRecord<>(topic.name(), null, command.getOrderId(), value, headers);
    }

    /**
     * Queues {@code command} (and {@code companions}, committed atomically with it) and completes when its
     * transaction is committed, or fails with {@link CommandNotWrittenException} or {@link
     * CommandOutcomeUnknownException}. Never blocks; serialization (a schema registry call the first time) happens
     * on the caller's thread.
     */
    public CompletableFuture<Void> append(OrderCommand command, List<ProducerRecord<String, byte[]>> companions) {
        String orderId = command.getOrderId();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(1 + companions.size());
        try {
            records.add(record(command));
        } catch (RuntimeException e) {
            log.warn("{} command for order {} not serialized: {}", command.getType(), orderId, e.toString());
            failedLatency.record(0, TimeUnit.NANOSECONDS);
            return CompletableFuture.failedFuture(new CommandNotWrittenException(orderId, e));
        }
        records.addAll(companions);
        Pending pending = new Pending(orderId, records);
        if (!running || !laneOf(orderId).queue.offer(pending)) {
            return fail(
                    pending,
                    new CommandNotWrittenException(
                            orderId, new IllegalStateException(running ? "command queue full" : "shutting down")));
        }
        timer.schedule(() -> expire(pending), settings.maxBlock().toMillis(), TimeUnit.MILLISECONDS);
        return pending.result;
    }

    /** Convenience for a command without companions. */
    public CompletableFuture<Void> append(OrderCommand command) {
        return append(command, List.of());
    }

    /** All commands of one order go through one committer, so they are appended in the order they were queued. */
    private Lane laneOf(String orderId) {
        return lanes.get(Math.floorMod(orderId.hashCode(), lanes.size()));
    }

    @Override
    public void start() {
        running = true;
        lanes.forEach(Lane::start);
    }

    @Override
    public void stop() {
        running = false;
        long deadline = System.nanoTime() + settings.bound().toNanos();
        for (Lane lane : lanes) {
            lane.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        timer.shutdownNow();
        for (Lane lane : lanes) {
            for (Pending pending; (pending = lane.queue.poll()) != null; ) {
                if (pending.state.compareAndSet(QUEUED, EXPIRED)) {
                    fail(
                            pending,
                            new CommandNotWrittenException(
                                    pending.orderId, new IllegalStateException("shutting down")));
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the web server (phase {@code DEFAULT_PHASE - 2048}): requests in flight finish. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /**
     * Whether every committer has a transactional producer initialized and no transaction left to abort: what
     * readiness reports. A request queued while its committer is not ready waits up to {@code max-block} for it.
     */
    public boolean ready() {
        return lanes.stream().allMatch(lane -> lane.ready);
    }

    /** One committer: its queue, its transactional producer and the thread that runs its transactions. */
    private final class Lane {

        private final int index;
        private final BlockingQueue<Pending> queue;
        private volatile boolean ready;
        private volatile Thread committer;
        private Producer<String, byte[]> producer;
        /** The current producer has a transaction that must be aborted before the next one begins. */
        private boolean needsAbort;

        Lane(int index, int maxQueued) {
            this.index = index;
            this.queue = new LinkedBlockingQueue<>(maxQueued);
        }

        void start() {
            Thread thread = new Thread(this::commitLoop, "command-log-committer-" + index);
            thread.setDaemon(true);
            committer = thread;
            thread.start();
        }

        void join(Duration timeout) {
            Thread thread = committer;
            if (thread != null) {
                try {
                    thread.join(Math.max(1, timeout.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void commitLoop() {
            long nextWarmUp = System.nanoTime();
            try {
                while (running || !queue.isEmpty()) {
                    if ((producer == null || needsAbort) && System.nanoTime() - nextWarmUp >= 0) {
                        // idle or not: get the producer ready before traffic needs it, so readiness means something
                        warmUp();
                        nextWarmUp = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                    }
                    List<Pending> batch = takeBatch();
                    if (batch.isEmpty()) {
                        continue;
                    }
                    commit(batch);
                }
            } finally {
                closeProducer(Duration.ofSeconds(5));
            }
        }

        private List<Pending> takeBatch() {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    return batch;
                }
                int records = 0;
                for (Pending next = first; next != null; next = records < settings.maxBatch() ? queue.poll() : null) {
                    if (next.state.compareAndSet(QUEUED, TAKEN)) {
                        batch.add(next);
                        records += next.records.size();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            return batch;
        }

        private void commit(List<Pending> batch) {
            Producer<String, byte[]> p;
            try {
                p = readyProducer();
            } catch (RuntimeException e) {
                failAll(batch, e, "producer not ready");
                return;
            }
            // send phase: until commitTransaction() is called, nothing can become visible
            Queue<Exception> errors = new ConcurrentLinkedQueue<>();
            try {
                p.beginTransaction();
                needsAbort = true;
                for (Pending pending : batch) {
                    for (ProducerRecord<String, byte[]> record : pending.records) {
                        p.send(record, (metadata, error) -> {
                            if (error != null) {
                                errors.add(error);
                            }
                        });
                    }
                }
                // waits until every send is acknowledged or has failed, bounded by delivery.timeout.ms
                p.flush();
                if (!errors.isEmpty()) {
                    throw errors.peek() instanceof KafkaException k ? k : new KafkaException(errors.peek());
                }
            } catch (RuntimeException e) {
                abort(p, e);
                failAll(batch, e, "transaction aborted");
                return;
            }
            // commit phase: from here on, the broker may record the commit even if we never hear back
            long deadline = System.nanoTime() + settings.commitTimeout().toNanos();
            boolean reported = false;
            while (true) {
                try {
                    p.commitTransaction();
                    needsAbort = false;
                    ready = true;
                    committedTransactions.increment();
                    batchSize.record(batch.stream()
                            .mapToInt(pending -> pending.records.size())
                            .sum());
                    if (!reported) {
                        batch.forEach(CommandLog.this::succeed);
                    }
                    return;
                } catch (TimeoutException e) {
                    ready = false;
                    if (!reported && System.nanoTime() > deadline) {
                        reported = true;
                        unknownTransactions.increment();
                        log.warn(
                                "Commit of {} command(s) not confirmed within {}; outcome unknown until the broker"
                                        + " answers",
                                batch.size(),
                                settings.commitTimeout());
                        batch.forEach(pending -> fail(pending, new CommandOutcomeUnknownException(pending.orderId, e)));
                    }
                    if (!running && reported) {
                        // shutting down: the next producer with this transactional.id resolves it on initTransactions
                        closeProducer(Duration.ZERO);
                        return;
                    }
                    // only a retried commit is allowed now; keep the producer until the broker answers
                } catch (RuntimeException e) {
                    // fenced or otherwise fatal during commit: whether the commit was recorded is unknown
                    closeProducer(Duration.ZERO);
                    if (!reported) {
                        unknownTransactions.increment();
                        batch.forEach(pending -> fail(pending, new CommandOutcomeUnknownException(pending.orderId, e)));
                    }
                    return;
                }
            }
        }

        private void warmUp() {
            try {
                readyProducer();
                // registers the command schema (or finds its id) now rather than on a request thread
                record(WARM_UP);
            } catch (RuntimeException e) {
                log.debug("Command log {} not ready yet: {}", index, e.toString());
            }
        }

        private Producer<String, byte[]> readyProducer() {
            if (producer == null) {
                Producer<String, byte[]> created = producers.apply(index);
                try {
                    created.initTransactions();
                } catch (RuntimeException e) {
                    // initTransactions may be retried after a timeout, but a fresh producer is simpler and equivalent
                    created.close(Duration.ZERO);
                    throw e;
                }
                producer = created;
                needsAbort = false;
                log.info("Transactional command producer {} ready", index);
            }
            if (needsAbort) {
                producer.abortTransaction();
                needsAbort = false;
            }
            ready = true;
            return producer;
        }

        private void abort(Producer<String, byte[]> p, RuntimeException cause) {
            abortedTransactions.increment();
            if (fatal(cause)) {
                closeProducer(Duration.ZERO);
                return;
            }
            try {
                p.abortTransaction();
                needsAbort = false;
            } catch (TimeoutException e) {
                // retried before the next transaction; the coordinator aborts it anyway after transaction.timeout.ms
                needsAbort = true;
                ready = false;
            } catch (RuntimeException e) {
                closeProducer(Duration.ZERO);
            }
        }

        private void closeProducer(Duration timeout) {
            if (producer != null) {
                try {
                    producer.close(timeout);
                } catch (RuntimeException e) {
                    log.debug("closing producer {}: {}", index, e.toString());
                }
                producer = null;
                needsAbort = false;
            }
            ready = false;
        }
    }

    private static boolean fatal(Throwable e) {
        return e instanceof ProducerFencedException
                || e instanceof InvalidProducerEpochException
                || e instanceof OutOfOrderSequenceException
                || e instanceof UnsupportedVersionException
                || e instanceof AuthorizationException
                || e instanceof IllegalStateException;
    }

    private void expire(Pending pending) {
        // the entry stays in the queue; the committer skips it
        if (pending.state.compareAndSet(QUEUED, EXPIRED)) {
            fail(
                    pending,
                    new CommandNotWrittenException(
                            pending.orderId,
                            new TimeoutException("not taken into a transaction within " + settings.maxBlock())));
        }
    }

    private void failAll(List<Pending> batch, RuntimeException cause, String what) {
        log.warn("{} command(s) not written ({}): {}", batch.size(), what, cause.toString());
        batch.forEach(pending -> fail(pending, new CommandNotWrittenException(pending.orderId, cause)));
    }

    private void succeed(Pending pending) {
        committedLatency.record(System.nanoTime() - pending.start, TimeUnit.NANOSECONDS);
        pending.result.complete(null);
    }

    private CompletableFuture<Void> fail(Pending pending, RuntimeException error) {
        (error instanceof CommandOutcomeUnknownException ? unknownLatency : failedLatency)
                .record(System.nanoTime() - pending.start, TimeUnit.NANOSECONDS);
        pending.result.completeExceptionally(error);
        return pending.result;
    }

    private Timer latency(MeterRegistry meters, String outcome) {
        return Timer.builder("ingest.produce.latency")
                .description("Time from queueing a command to the outcome of its transaction")
                .tag("topic", topic.name())
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

    private static final class Pending {
        final String orderId;
        final List<ProducerRecord<String, byte[]>> records;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        final long start = System.nanoTime();
        final AtomicInteger state = new AtomicInteger(QUEUED);

        Pending(String orderId, List<ProducerRecord<String, byte[]>> records) {
            this.orderId = orderId;
            this.records = records;
        }
    }
}
