package io.orderpipeline.query.feed;

import io.orderpipeline.query.kafka.RecoveryProperties;
import io.orderpipeline.query.kafka.RegistryOutage;
import io.orderpipeline.query.kafka.StateConsumers;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.shared.Backoff;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads <em>every</em> partition of {@code orders.state} on every instance with a plain consumer (no group, manual
 * assignment), so that push subscribers and long-poll waiters see every change whichever instance they are connected
 * to, while the Streams stores stay partitioned across instances. It starts {@code orders.feed.lookback} in the past
 * (recent states become known before anyone asks) and picks up partitions added later.
 *
 * <p>Delivery: per partition in offset order, so per order in version order; at most once per record per process (no
 * offsets are committed: after a restart the feed starts again from the lookback). A record that cannot be read is
 * logged and skipped; one whose schema cannot be fetched because the registry is unreachable is read again after a
 * backoff, never skipped ({@link RegistryOutage}).
 *
 * <p>Recovery: the feed never ends by itself. On an unexpected failure it logs it, closes its consumer, waits
 * ({@code orders.recovery.*}, growing with each failure in a row) and continues with a new consumer from the
 * position it had reached in each partition, so that no state is lost and none is read twice (anything older is
 * dropped by {@link RecentOrderStates} anyway). Health ({@code orderFeed}) is DOWN while it recovers.
 */
@Component
public class OrderStateFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderStateFeed.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final StateConsumers consumers;
    private final AvroSerdes serdes;
    private final String topic;
    private final FeedProperties properties;
    private final RecoveryProperties recovery;
    private final RecentOrderStates recent;
    private final List<OrderStateListener> listeners;
    private final String clientId = "order-query-feed-" + UUID.randomUUID();
    private final AtomicLong recoveries = new AtomicLong();
    private volatile Consumer<String, OrderState> consumer;
    private volatile Thread thread;
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private volatile boolean running;
    private volatile boolean assigned;
    private volatile String problem;

    OrderStateFeed(
            KafkaClients clients,
            ObjectProvider<StateConsumers> consumers,
            AvroSerdes serdes,
            TopicSettings topics,
            FeedProperties properties,
            RecoveryProperties recovery,
            RecentOrderStates recent,
            List<OrderStateListener> listeners) {
        this.clients = clients;
        this.consumers = consumers.getIfAvailable(() -> StateConsumers.from(clients));
        this.serdes = serdes;
        this.topic = topics.state();
        this.properties = properties;
        this.recovery = recovery;
        this.recent = recent;
        this.listeners = List.copyOf(listeners);
    }

    /** Whether the feed reads its partitions: started, assigned, and not recovering from a failure. */
    public boolean isLive() {
        return running && assigned && problem == null;
    }

    /** The failure the feed is recovering from, or {@code null}. */
    String problem() {
        return problem;
    }

    /** How many times the feed has replaced its consumer after a failure. */
    long recoveries() {
        return recoveries.get();
    }

    /** The feed's own settings over {@code spring.kafka.*}. */
    Map<String, Object> consumerOverrides() {
        return Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId + "-" + recoveries.get(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                1000,
                // Push only states whose processor transaction committed; an aborted attempt is replayed later.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString());
    }

    @Override
    public void start() {
        CountDownLatch stop = new CountDownLatch(1);
        stopping = stop;
        running = true;
        problem = null;
        Thread worker = new Thread(() -> run(stop), "order-state-feed");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    private void run(CountDownLatch stop) {
        Backoff backoff = recovery.backoff();
        // next offset to read per partition; outlives each consumer, so that a new one continues where the last stopped
        Map<TopicPartition, Long> positions = new HashMap<>();
        while (running) {
            Consumer<String, OrderState> created = null;
            try {
                created = consumers.create(
                        StateConsumers.FEED,
                        consumerOverrides(),
                        serdes.valueSerde(OrderState.class).deserializer());
                consumer = created;
                if (!running) {
                    return; // stopped meanwhile: its wakeup went to the previous consumer
                }
                read(created, positions, backoff, stop);
            } catch (RuntimeException e) { // a WakeupException too, when it was not stop() that woke it
                if (running) {
                    recoverAfter(e, backoff, stop);
                }
            } finally {
                assigned = false;
                if (created != null) {
                    close(created);
                }
            }
        }
    }

    private void recoverAfter(RuntimeException failure, Backoff backoff, CountDownLatch stop) {
        Duration pause = backoff.next();
        problem = failure.toString();
        recoveries.incrementAndGet();
        log.error(
                "Order state feed failed; closing its consumer and continuing with a new one in {} ms from the"
                        + " positions reached",
                pause.toMillis(),
                failure);
        pause(stop, pause);
    }

    /** Polls until stopped; returns only then, or throws on a failure. */
    private void read(
            Consumer<String, OrderState> consumer,
            Map<TopicPartition, Long> positions,
            Backoff backoff,
            CountDownLatch stop) {
        Set<TopicPartition> partitions = new HashSet<>();
        long nextRefresh = System.nanoTime();
        while (running) {
            if (System.nanoTime() - nextRefresh >= 0) {
                refreshPartitions(consumer, partitions, positions);
                Duration refresh = partitions.isEmpty() ? Duration.ofSeconds(1) : properties.partitionRefresh();
                nextRefresh = System.nanoTime() + refresh.toNanos();
            }
            if (partitions.isEmpty()) {
                pause(
                        stop,
                        Duration.ofMillis(200)); // metadata not readable yet; a consumer without partitions cannot poll
                continue;
            }
            ConsumerRecords<String, OrderState> records;
            try {
                records = consumer.poll(Duration.ofMillis(500));
            } catch (RecordDeserializationException e) {
                if (RegistryOutage.isOutage(e)) {
                    // the position stays at the record: it is read again once the registry answers
                    Duration pause = backoff.next();
                    problem = "schema registry unreachable: " + e.getCause();
                    log.warn(
                            "Cannot fetch the schema of {}@{} (registry unreachable); reading it again in {} ms",
                            e.topicPartition(),
                            e.offset(),
                            pause.toMillis());
                    pause(stop, pause);
                    continue;
                }
                log.warn("Skipping unreadable record {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
                consumer.seek(e.topicPartition(), e.offset() + 1);
                positions.put(e.topicPartition(), e.offset() + 1);
                continue;
            }
            for (ConsumerRecord<String, OrderState> record : records) {
                if (record.value() != null) {
                    dispatch(OrderView.from(record.value()));
                }
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            if (problem != null) {
                log.info("Order state feed reads again");
                problem = null;
                backoff.reset();
            }
        }
    }

    private void refreshPartitions(
            Consumer<String, OrderState> consumer,
            Set<TopicPartition> partitions,
            Map<TopicPartition, Long> positions) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("Cannot read partitions of {}: {}", topic, e.getMessage());
            return;
        }
        if (infos == null || infos.isEmpty()) {
            return;
        }
        Set<TopicPartition> added = infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .filter(tp -> !partitions.contains(tp))
                .collect(Collectors.toSet());
        if (added.isEmpty()) {
            return;
        }
        boolean firstEver = positions.isEmpty();
        partitions.addAll(added);
        consumer.assign(partitions);
        Set<TopicPartition> fresh = new HashSet<>();
        for (TopicPartition tp : added) {
            Long reached = positions.get(tp);
            if (reached != null) {
                consumer.seek(tp, reached); // a new consumer after a failure: continue exactly there
            } else {
                fresh.add(tp);
            }
        }
        if (!fresh.isEmpty()) {
            if (firstEver) {
                seekToLookback(consumer, fresh);
            } else {
                consumer.seekToBeginning(fresh); // partitions created after start: everything in them is new
            }
            for (TopicPartition tp : fresh) {
                positions.put(tp, consumer.position(tp, METADATA_TIMEOUT)); // resolved now, kept across consumers
            }
        }
        assigned = true;
        log.info("Order state feed reads {} partitions of {}", partitions.size(), topic);
    }

    private void seekToLookback(Consumer<String, OrderState> consumer, Set<TopicPartition> partitions) {
        long since = Instant.now().minus(properties.lookback()).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, METADATA_TIMEOUT);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp offset = offsets.get(tp);
            if (offset == null) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, offset.offset());
            }
        }
    }

    private void dispatch(OrderView state) {
        if (!recent.offer(state)) {
            return; // a version already dispatched (or older): listeners only ever see newer states
        }
        for (OrderStateListener listener : listeners) {
            try {
                listener.onState(state);
            } catch (RuntimeException e) {
                log.error("Listener {} failed on order {} v{}", listener, state.orderId(), state.version(), e);
            }
        }
    }

    private static void pause(CountDownLatch stop, Duration pause) {
        try {
            stop.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Consumer<String, OrderState> consumer) {
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("Closing the order state feed's consumer failed", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        stopping.countDown();
        Consumer<String, OrderState> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
