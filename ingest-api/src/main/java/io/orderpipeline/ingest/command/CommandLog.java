package io.orderpipeline.ingest.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
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
 * {@code transactional.id}) run side by side, so a request waits for at most one transaction ahead of its own. Each
 * request's future completes with the outcome of its transaction:
 *
 * <ul>
 *   <li><b>committed</b>: the command (and the request's companion records, such as its idempotency record) are
 *       durable and visible together;
 *   <li>{@link CommandNotWrittenException}: the request waited in the queue longer than {@code max-block}, or its
 *       records were not all acknowledged within {@code delivery-timeout}. The request is answered at once and the
 *       transaction is never committed; it is aborted (now, or when the broker is back, by the next producer with
 *       the same {@code transactional.id}, or by the coordinator after {@code transaction-timeout}): the records never
 *       become visible. This is what a broker outage produces, including records the broker had appended but not
 *       acknowledged;
 *   <li>{@link CommandOutcomeUnknownException}: every record was acknowledged, the commit was asked for, and the
 *       broker went away before confirming it within {@code commit-timeout}. Kafka cannot say whether the commit was
 *       recorded. The window is one commit round trip; the committer keeps retrying the commit, so the transaction is
 *       resolved (one way or the other) before the next one starts.
 * </ul>
 *
 * <p><b>Partitioning.</b> The write side is partitioned by account ({@link OrderRouting}): a PLACE is keyed by its
 * {@code accountId} (Kafka's default partitioner), a CANCEL or AMEND is keyed by its {@code orderId} and written to the
 * explicit partition {@link OrderRouting#partitionOf(UUID, int)}, the partition of the order's PLACE, computed from the
 * partition count the committer's producer knows ({@link PartitionCount}).
 *
 * <p><b>Ordering.</b> Commands of one order land in one partition and go through one committer (chosen by the order
 * id's hash); a committer commits its transactions one after another, so commands of one order are appended in the
 * order their requests were queued. A batch ({@link #appendAll}) is one request: all its records are in one
 * transaction, on the committer of its first order.
 *
 * <p><b>Time bound.</b> A request is answered within {@link IngestSettings.Producer#bound()}: {@code max-block}
 * (queue, including the time a committer needs to get its producer ready) + {@code delivery-timeout} (sends) + {@code
 * commit-timeout}. While the broker is unreachable no transaction reaches its commit, so a request is refused within
 * {@link IngestSettings.Producer#unreachableBound()}.
 *
 * <p><b>Recovery.</b> Committers recover by themselves, without a restart of the service (see {@link Committer}); a
 * committer that is recovering is not {@linkplain #ready() ready}, which readiness reports.
 */
public class CommandLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandLog.class);
    /** Serialized once per new producer to register the schema; never sent. */
    private static final OrderCommand WARM_UP = OrderCommand.newBuilder()
            .setCommandId("warm-up")
            .setType(CommandType.CANCEL)
            .setOrderId(new UUID(0, 0).toString())
            .setRequestedAt(Instant.EPOCH)
            .build();

    private final Topic<String, OrderCommand> topic;
    private final Serializer<OrderCommand> serializer;
    private final IngestSettings.Producer settings;
    private final List<CommandQueue> queues;
    private final List<Committer> committers;
    private final ScheduledExecutorService timer;
    private final CommandLogMetrics metrics;

    private volatile boolean running;

    /**
     * @param producers a new transactional producer for committer {@code i} (0 until {@code committers - 1}); each
     *     committer needs its own {@code transactional.id}. Called again whenever a committer needs a new producer
     *     (after a fencing, or to recover from an unexpected failure)
     */
    public CommandLog(
            IntFunction<Producer<String, byte[]>> producers,
            Topic<String, OrderCommand> topic,
            IngestSettings.Producer settings,
            MeterRegistry meters) {
        this.topic = topic;
        this.serializer = topic.valueSerde().serializer();
        this.settings = settings;
        this.metrics = new CommandLogMetrics(meters, topic.name());
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "command-log-timer");
            thread.setDaemon(true);
            return thread;
        });
        int queuedPerCommitter = Math.max(1, settings.maxQueued() / settings.committers());
        Committer.Shared shared = new Committer.Shared(
                settings,
                topic.name(),
                new PartitionCount(topic.name()),
                () -> record(WARM_UP),
                () -> running,
                timer,
                metrics);
        List<CommandQueue> createdQueues = new ArrayList<>();
        List<Committer> created = new ArrayList<>();
        for (int i = 0; i < settings.committers(); i++) {
            CommandQueue queue = new CommandQueue(queuedPerCommitter);
            createdQueues.add(queue);
            created.add(new Committer(i, queue, producers, shared));
        }
        this.queues = List.copyOf(createdQueues);
        this.committers = List.copyOf(created);
    }

    /**
     * The record of {@code command} on the commands topic: a PLACE keyed by its account id, a CANCEL or AMEND keyed by
     * its order id and routed to the partition of that order's PLACE.
     */
    private OutgoingRecord record(OrderCommand command) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serializer.serialize(topic.name(), headers, command);
        if (command.getType() != CommandType.PLACE) {
            // CANCEL and AMEND name the order only: to the partition its id routes to, the one of its PLACE
            ProducerRecord<String, byte[]> request =
                    new ProducerRecord<>(topic.name(), null, command.getOrderId(), value, headers);
            return new OutgoingRecord(request, UUID.fromString(command.getOrderId()));
        }
        return OutgoingRecord.keyed(new ProducerRecord<>(topic.name(), null, command.getAccountId(), value, headers));
    }

    /**
     * Queues {@code command} (and {@code companions}, committed atomically with it) and completes when its
     * transaction is committed, or fails with {@link CommandNotWrittenException} or {@link
     * CommandOutcomeUnknownException}. Never blocks; serialization (a schema registry call the first time) happens
     * on the caller's thread.
     */
    public CompletableFuture<Void> append(OrderCommand command, List<ProducerRecord<String, byte[]>> companions) {
        return appendAll(List.of(command), companions);
    }

    /** Convenience for a command without companions. */
    public CompletableFuture<Void> append(OrderCommand command) {
        return append(command, List.of());
    }

    /**
     * Queues {@code commands} and {@code companions} as one request: they are committed in one transaction, all of
     * them or none (a batch of orders and its idempotency record). Completes as {@link #append}; the request counts as
     * one against {@code max-queued}, and a transaction that takes it may exceed {@code max-batch} records by it.
     */
    public CompletableFuture<Void> appendAll(
            List<OrderCommand> commands, List<ProducerRecord<String, byte[]>> companions) {
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("no command to append");
        }
        String first = commands.get(0).getOrderId();
        String orderId = commands.size() == 1 ? first : first + " and " + (commands.size() - 1) + " more";
        List<OutgoingRecord> records = new ArrayList<>(commands.size() + companions.size());
        try {
            for (OrderCommand command : commands) {
                records.add(record(command));
            }
        } catch (RuntimeException e) {
            log.warn("{} command(s) for order {} not serialized: {}", commands.size(), orderId, e.toString());
            metrics.refusedAtOnce();
            return CompletableFuture.failedFuture(new CommandNotWrittenException(orderId, e));
        }
        companions.forEach(companion -> records.add(OutgoingRecord.keyed(companion)));
        PendingCommand pending = new PendingCommand(orderId, records);
        if (!running || !queueOf(first).offer(pending)) {
            metrics.fail(
                    pending,
                    new CommandNotWrittenException(
                            orderId, new IllegalStateException(running ? "command queue full" : "shutting down")));
            return pending.result;
        }
        timer.schedule(() -> expire(pending), settings.maxBlock().toMillis(), TimeUnit.MILLISECONDS);
        return pending.result;
    }

    /** All commands of one order go through one committer, so they are appended in the order they were queued. */
    private CommandQueue queueOf(String orderId) {
        return queues.get(Math.floorMod(orderId.hashCode(), queues.size()));
    }

    @Override
    public void start() {
        running = true;
        committers.forEach(Committer::start);
    }

    @Override
    public void stop() {
        running = false;
        long deadline = System.nanoTime() + settings.bound().toNanos();
        for (Committer committer : committers) {
            committer.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        timer.shutdownNow();
        for (CommandQueue queue : queues) {
            for (PendingCommand pending; (pending = queue.poll()) != null; ) {
                if (pending.expire()) {
                    metrics.fail(
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
     * Whether every committer has a transactional producer initialized, no transaction left to abort and no commit
     * being retried: what readiness reports. A request queued while its committer is not ready waits up to {@code
     * max-block} for it.
     */
    public boolean ready() {
        return committers.stream().allMatch(Committer::ready);
    }

    /** Per committer, "ready" or what keeps it from being ready (for health details). */
    public List<String> committerStates() {
        return committers.stream().map(Committer::state).toList();
    }

    /** How many times a committer recovered from an unexpected failure since start. */
    public long restarts() {
        return (long) metrics.restarts();
    }

    private void expire(PendingCommand pending) {
        // the entry stays in the queue; the committer skips it
        if (pending.expire()) {
            metrics.fail(
                    pending,
                    new CommandNotWrittenException(
                            pending.orderId,
                            new TimeoutException("not taken into a transaction within " + settings.maxBlock())));
        }
    }
}
