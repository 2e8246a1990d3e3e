package io.orderpipeline.processor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
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
    private static final Duration TOPICS_DEADLINE = Duration.ofMinutes(3);

    private final KafkaAdmin admin;
    private final ProcessorConfiguration.PipelineTopics declared;
    private final TopicProperties topics;
    private final ProcessorProperties processor;
    private final PlacementProperties placement;
    private volatile boolean running;

    CoPartitioningCheck(
            KafkaAdmin admin,
            ProcessorConfiguration.PipelineTopics declared,
            TopicProperties topics,
            ProcessorProperties processor,
            PlacementProperties placement) {
        this.admin = admin;
        this.declared = declared;
        this.topics = topics;
        this.processor = processor;
        this.placement = placement;
    }

    @Override
    public void start() {
        running = true;
        awaitTopics();
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

    /**
     * Creates the declared topics that do not exist yet, before the Kafka Streams instance starts, retrying until
     * {@link #TOPICS_DEADLINE}: a stream thread that starts on missing source topics dies with
     * INCOMPLETE_SOURCE_TOPIC_METADATA. Existing topics are never modified (Spring's {@code KafkaAdmin} auto-creation
     * is off, {@code spring.kafka.admin.auto-create=false}): adding partitions to a topic keyed by orderId would move
     * keys between partitions, which is exactly what the co-partitioning check below must report instead. Start-up
     * waits for the broker rather than fail, so the processor may be started before Kafka.
     */
    private void awaitTopics() {
        long deadline = System.nanoTime() + TOPICS_DEADLINE.toNanos();
        Map<String, Object> config = new HashMap<>(admin.getConfigurationProperties());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin client = Admin.create(config)) {
            while (true) {
                try {
                    Set<String> existing = client.listTopics().names().get();
                    List<NewTopic> missing = declared.topics().stream()
                            .filter(topic -> !existing.contains(topic.name()))
                            .toList();
                    if (missing.isEmpty()) {
                        return;
                    }
                    log.info(
                            "creating topics {}",
                            missing.stream().map(NewTopic::name).toList());
                    client.createTopics(missing).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        retryOrFail(deadline, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topics", e);
                }
            }
        }
    }

    private static void retryOrFail(long deadline, Throwable cause) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                    "could not create the pipeline's topics within " + TOPICS_DEADLINE
                            + "; is Kafka reachable at spring.kafka.bootstrap-servers?",
                    cause);
        }
        log.warn("topics not created yet ({}); retrying", cause.toString());
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the instrument seeding (which writes to a topic created here) and the Kafka Streams instance. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 3000;
    }
}
