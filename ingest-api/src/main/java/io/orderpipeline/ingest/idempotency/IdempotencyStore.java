package io.orderpipeline.ingest.idempotency;

import io.orderpipeline.shared.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency keys shared by every ingest-api instance through a compacted Kafka topic ({@code orders.idempotency},
 * key = order id, value = {@link IdempotencyRecord} as JSON).
 *
 * <p>Each instance reads the whole topic into memory with a group-less {@code read_committed} consumer on its own
 * thread and keeps reading it, so a key accepted by any instance, before or after a restart, is known to all. Before
 * answering a keyed request that it does not know, an instance {@linkplain #sync(Duration) catches up}: it asks the
 * broker for the topic's high watermark and waits until its reader has got there, which happens only once every
 * transaction appended so far is committed or aborted. Reads are therefore up to date with every key committed, or
 * being committed, when the request arrived. (An instance that crashed inside a transaction holds syncs back until
 * the coordinator aborts it, {@code orders.ingest.producer.transaction-timeout}; keyed requests get 503 meanwhile.)
 *
 * <p><b>Consistency.</b> A record is committed in the same Kafka transaction as its PLACE command and read with
 * {@code read_committed}, so a remembered key always refers to a command that is in {@code orders.commands}, and once
 * a client holds a 2xx every instance that syncs sees the key. What this store cannot see is a request that is still
 * in flight on another instance and whose records have not reached the broker yet: two such requests with one key both
 * write a PLACE with the same (key-derived) order id, and the stream-processor keeps the first and ignores the second.
 * With equal bodies both clients get the same order id, which is correct; with different bodies the second client is
 * told 202 instead of 422. Within one instance, concurrent requests with the same key are coalesced (see {@code
 * OrderIntake}), so the window exists only across instances, and only for requests that overlap in time. If two
 * records with different fingerprints do exist for one key, the first one read wins here; compaction may later keep
 * the second.
 *
 * <p><b>Recovery.</b> The reader recovers by itself, without a restart of the service: a retriable Kafka error is
 * retried with the same consumer, anything else starts a new consumer after a backoff, from the positions already
 * read; health says DOWN meanwhile, and keyed requests that cannot catch up get 503.
 *
 * <p>Keys are forgotten after {@code orders.ingest.idempotency.retention} (also the topic's {@code retention.ms}); an
 * expired key posted again with the same body still yields the same order id, which the topology deduplicates.
 */
public class IdempotencyStore implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration EVICT_EVERY = Duration.ofMinutes(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final String topic;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Admin admin;
    private final Clock clock;
    private final Duration retention;
    private final JsonMapper json = JsonMapper.builder().build();

    private final Map<String, IdempotencyRecord> records = new ConcurrentHashMap<>();
    /** The reader's position per partition after its last poll, and who waits for it. */
    private final ReaderPositions positions = new ReaderPositions();

    /** Completed by the reader once it has found the topic's partitions. */
    private final CompletableFuture<List<TopicPartition>> assigned = new CompletableFuture<>();

    private volatile boolean running;
    private volatile boolean caughtUpOnce;
    private volatile Thread reader;
    private volatile Consumer<String, byte[]> consumer;
    private volatile String failure;
    private final AtomicLong restarts = new AtomicLong();

    public IdempotencyStore(
            String topic, Supplier<Consumer<String, byte[]>> consumers, Admin admin, Clock clock, Duration retention) {
        this.topic = topic;
        this.consumers = consumers;
        this.admin = admin;
        this.clock = clock;
        this.retention = retention;
    }

    /** The record for {@code orderId}, if it is known and not expired. */
    public Optional<IdempotencyRecord> lookup(String orderId) {
        IdempotencyRecord record = records.get(orderId);
        return record == null || expired(record) ? Optional.empty() : Optional.of(record);
    }

    /**
     * Completes once this instance has read every record acknowledged before the call; fails with {@link
     * IdempotencyStoreUnavailableException} if that takes longer than {@code timeout} (Kafka unreachable). Never
     * blocks the caller.
     */
    public CompletableFuture<Void> sync(Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        assigned.thenAccept(partitions -> {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
            // READ_UNCOMMITTED: the high watermark. Our read_committed reader gets there only once every transaction
            // appended so far is resolved, so a key another instance has just committed (markers not yet written),
            // or is committing right now, is waited for rather than missed.
            ListOffsetsOptions options =
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs((int) timeout.toMillis());
            admin.listOffsets(request, options).all().toCompletionStage().whenComplete((ends, error) -> {
                if (error != null) {
                    done.completeExceptionally(
                            new IdempotencyStoreUnavailableException("cannot read the end offsets of " + topic, error));
                    return;
                }
                Map<TopicPartition, Long> target = ends.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().offset()));
                positions.await(target, done);
            });
        });
        return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            return CompletableFuture.failedFuture(
                    cause instanceof IdempotencyStoreUnavailableException
                            ? cause
                            : new IdempotencyStoreUnavailableException(
                                    "idempotency store did not catch up within " + timeout, cause));
        });
    }

    /**
     * The record that remembers a keyed PLACE, to be committed in the same transaction as the command: both become
     * visible together or not at all.
     */
    public ProducerRecord<String, byte[]> record(String orderId, IdempotencyRecord record) {
        return new ProducerRecord<>(topic, orderId, json.writeValueAsBytes(Json.of(record)));
    }

    /** Remembers a committed keyed PLACE at once, so this instance answers repeats without waiting for its reader. */
    public void committed(String orderId, IdempotencyRecord record) {
        records.putIfAbsent(orderId, record);
    }

    /** Whether the reader has caught up with the topic at least once since start. */
    public boolean ready() {
        return caughtUpOnce;
    }

    /** What the reader is recovering from, while it recovers (a new consumer after a backoff); empty otherwise. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** How many times the reader started over with a new consumer since start. */
    public long restarts() {
        return restarts.get();
    }

    /** Number of keys held in memory. */
    public int size() {
        return records.size();
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(this::readLoop, "idempotency-reader");
        thread.setDaemon(true);
        reader = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread thread = reader;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts before and stops after the web server, like the command log. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * The reader's thread. It never ends while the store runs: a retriable Kafka error (the broker away) is retried
     * with the same consumer; anything else (a consumer that cannot be created, an unexpected exception, an Error)
     * closes the consumer and starts over with a new one after a backoff, resuming from the positions read so far.
     * Until the new consumer has polled, {@link #failure()} tells health so (DOWN).
     */
    private void readLoop() {
        Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
        while (running) {
            Consumer<String, byte[]> c = null;
            try {
                c = consumers.get();
                consumer = c;
                if (running) {
                    read(c, backoff);
                }
            } catch (WakeupException stopping) {
                // stop() woke us
            } catch (Throwable e) {
                // deliberately everything, Errors included: a reader that ended here would leave keyed requests
                // answered 503 for good
                if (!running) {
                    break;
                }
                failure = e.toString();
                restarts.incrementAndGet();
                Duration pause = backoff.next();
                log.error(
                        "Idempotency reader failed; closing its consumer and starting over in {} ms",
                        pause.toMillis(),
                        e);
                pause(pause);
            } finally {
                consumer = null;
                close(c);
            }
        }
        positions.failAll(new IdempotencyStoreUnavailableException("shutting down", null));
    }

    /** Reads with {@code c} until the store stops; throws what it cannot handle. */
    private void read(Consumer<String, byte[]> c, Backoff backoff) {
        List<TopicPartition> partitions = List.of();
        Instant nextEviction = clock.instant().plus(EVICT_EVERY);
        while (running) {
            try {
                if (partitions.isEmpty()) {
                    partitions = assign(c);
                    if (partitions.isEmpty()) {
                        pause(POLL);
                        continue;
                    }
                }
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    apply(record);
                }
                Map<TopicPartition, Long> read = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    read.put(partition, c.position(partition));
                }
                failure = null;
                backoff.reset();
                positions.advance(read);
                if (clock.instant().isAfter(nextEviction)) {
                    evictExpired();
                    nextEviction = clock.instant().plus(EVICT_EVERY);
                }
            } catch (RetriableException e) {
                // the broker away or moving: the consumer reconnects by itself
                log.warn("Idempotency reader: {}; retrying", e.toString());
                pause(POLL);
            }
        }
    }

    private List<TopicPartition> assign(Consumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toList());
        if (partitions.isEmpty()) {
            return partitions;
        }
        c.assign(partitions);
        if (!assigned.isDone()) {
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(5));
            CompletableFuture<Void> loaded = new CompletableFuture<>();
            loaded.thenRun(() -> {
                caughtUpOnce = true;
                log.info("Idempotency store loaded: {} keys", records.size());
            });
            positions.await(end, loaded);
            assigned.complete(partitions);
            log.info("Idempotency reader loading {} ({} partitions)", topic, partitions.size());
        } else {
            // a new consumer after a failure: go on from where the previous one got
            for (TopicPartition partition : partitions) {
                Long position = positions.get(partition);
                if (position == null) {
                    c.seekToBeginning(List.of(partition));
                } else {
                    c.seek(partition, position);
                }
            }
            log.info("Idempotency reader resumed {} at {}", topic, positions);
        }
        return partitions;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        IdempotencyRecord incoming;
        try {
            incoming = json.readValue(record.value(), Json.class).toRecord();
        } catch (RuntimeException e) {
            log.warn(
                    "Skipping unreadable idempotency record at {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
            return;
        }
        if (expired(incoming)) {
            return;
        }
        IdempotencyRecord known = records.putIfAbsent(record.key(), incoming);
        if (known != null && !known.fingerprint().equals(incoming.fingerprint())) {
            log.warn(
                    "Order {} has two idempotency records with different bodies (concurrent requests on two"
                            + " instances); keeping the first",
                    record.key());
        }
    }

    private boolean expired(IdempotencyRecord record) {
        return record.acceptedAt().plus(retention).isBefore(clock.instant());
    }

    private void evictExpired() {
        records.values().removeIf(this::expired);
    }

    /** Sleeps up to {@code duration}, less if the store stops meanwhile. */
    private void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        try {
            for (long left = duration.toNanos(); running && left > 0; left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, POLL.toNanos()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Consumer<String, byte[]> c) {
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                log.debug("closing the idempotency reader's consumer: {}", e.toString());
            }
        }
    }

    /** JSON form of {@link IdempotencyRecord}, explicit so the stored format does not depend on mapper defaults. */
    private record Json(String fingerprint, String commandId, String acceptedAt) {
        static Json of(IdempotencyRecord record) {
            return new Json(
                    record.fingerprint(),
                    record.commandId(),
                    record.acceptedAt().toString());
        }

        IdempotencyRecord toRecord() {
            return new IdempotencyRecord(fingerprint, commandId, Instant.parse(acceptedAt));
        }
    }
}
