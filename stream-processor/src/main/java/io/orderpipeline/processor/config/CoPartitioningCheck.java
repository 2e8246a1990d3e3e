package io.orderpipeline.processor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Refuses to start the topology when the topics it merges by orderId do not all have the same number of partitions.
 * Kafka Streams only checks co-partitioning for joins; here a retry record or a ledger decision on a partition that
 * does not own its order would be dropped as stale and leave the order waiting forever. Runs before the Kafka
 * Streams instance starts.
 */
@Component
class CoPartitioningCheck implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CoPartitioningCheck.class);

    private final KafkaAdmin admin;
    private final TopicProperties topics;
    private final ProcessorProperties processor;
    private final PlacementProperties placement;
    private volatile boolean running;

    CoPartitioningCheck(
            KafkaAdmin admin, TopicProperties topics, ProcessorProperties processor, PlacementProperties placement) {
        this.admin = admin;
        this.topics = topics;
        this.processor = processor;
        this.placement = placement;
    }

    @Override
    public void start() {
        running = true;
        List<String> byOrderId = new ArrayList<>(List.of(topics.commands(), processor.accountDecisionsTopic()));
        for (int tier = 0; tier < placement.tiers(); tier++) {
            byOrderId.add(topics.names().retry(tier));
        }
        Map<String, TopicDescription> described = admin.describeTopics(byOrderId.toArray(String[]::new));
        Map<String, Integer> partitions = new TreeMap<>();
        described.forEach((name, description) ->
                partitions.put(name, description.partitions().size()));
        if (partitions.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("topics keyed by orderId must have the same number of partitions "
                    + "(orders.topics.partitions) so that an order's commands, retries and ledger decisions meet in "
                    + "one task: " + partitions);
        }
        log.info("co-partitioned by orderId: {}", partitions);
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** With the instrument seeding, before the Kafka Streams instance. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
