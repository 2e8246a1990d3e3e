package io.orderpipeline.query.feed;

import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.avro.OrderState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads <em>every</em> partition of {@code orders.state} on every instance with a plain consumer (no group, manual
 * assignment), so that push subscribers and long-poll waiters see every change whichever instance they are connected
 * to, while the Streams stores stay partitioned across instances. It starts {@code orders.feed.lookback} in the past
 * (recent states become known before anyone asks) and picks up partitions added later.
 *
 * <p>Delivery: per partition in offset order, so per order in version order; at most once per record per process (no
 * offsets are committed: after a restart the feed starts again from the lookback). A record that cannot be
 * deserialized is logged and skipped.
 */
@Component
public class OrderStateFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderStateFeed.class);

    private final KafkaProperties kafka;
    private final OrderTopics topics;
    private final FeedProperties properties;
    private final RecentOrderStates recent;
    private final List<OrderStateListener> listeners;
    private volatile KafkaConsumer<String, OrderState> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean assigned;

    OrderStateFeed(
            KafkaProperties kafka,
            OrderTopics topics,
            FeedProperties properties,
            RecentOrderStates recent,
            List<OrderStateListener> listeners) {
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        this.recent = recent;
        this.listeners = List.copyOf(listeners);
    }

    /** Whether the feed has partitions assigned and is polling. */
    public boolean isAssigned() {
        return running && assigned;
    }

    @Override
    public void start() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "order-query-feed-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // Push only states whose processor transaction committed; an aborted attempt is replayed later.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        KafkaConsumer<String, OrderState> created = new KafkaConsumer<>(
                config,
                Serdes.String().deserializer(),
                topics.state().valueSerde().deserializer());
        consumer = created;
        running = true;
        thread = new Thread(this::run, "order-state-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        String topic = topics.state().name();
        Set<TopicPartition> partitions = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() - nextRefresh >= 0) {
                    refreshPartitions(topic, partitions);
                    nextRefresh =
                            System.nanoTime() + properties.partitionRefresh().toNanos();
                    if (partitions.isEmpty()) {
                        // topic not there yet: look again soon
                        nextRefresh = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                    }
                }
                if (partitions.isEmpty()) {
                    consumer.poll(Duration.ofMillis(200));
                    continue;
                }
                try {
                    for (ConsumerRecord<String, OrderState> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.value() != null) {
                            dispatch(OrderView.from(record.value()));
                        }
                    }
                } catch (RecordDeserializationException e) {
                    log.warn(
                            "Skipping undeserializable record {}@{}: {}",
                            e.topicPartition(),
                            e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                log.error("Order state feed woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("Order state feed stopped", e);
        } finally {
            assigned = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void refreshPartitions(String topic, Set<TopicPartition> partitions) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("Cannot read partitions of {}: {}", topic, e.getMessage());
            return;
        }
        if (infos == null || infos.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toSet());
        Set<TopicPartition> added = new HashSet<>(all);
        added.removeAll(partitions);
        if (added.isEmpty()) {
            return;
        }
        boolean first = partitions.isEmpty();
        partitions.addAll(added);
        consumer.assign(partitions);
        if (first) {
            seekToLookback(partitions);
        } else {
            // partitions created after start: everything in them is new
            consumer.seekToBeginning(added);
        }
        assigned = true;
        log.info("Order state feed reads {} partitions of {}", partitions.size(), topic);
    }

    private void seekToLookback(Set<TopicPartition> partitions) {
        long since = Instant.now().minus(properties.lookback()).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
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

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, OrderState> current = consumer;
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
