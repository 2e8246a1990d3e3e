package io.orderpipeline.processor.config;

import io.orderpipeline.shared.TopicProvisioner;
import io.orderpipeline.shared.TopicSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates the processor's topics and refuses to start the topology when the topics it merges by account do not all
 * have the same number of partitions (commands, the retry tiers, the venue's executions). Kafka Streams only checks
 * co-partitioning for joins; here a retry record or a venue report on a partition that does not own its order would be
 * dropped and leave the order waiting forever. Part of {@link ProcessorStartup}, before the Kafka Streams instance starts.
 */
@Component
class CoPartitioningCheck {

    private static final Logger log = LoggerFactory.getLogger(CoPartitioningCheck.class);

    private final TopicProvisioner provisioner;
    private final ProcessorConfiguration.PipelineTopics declared;
    private final TopicSettings topics;
    private final PlacementProperties placement;

    CoPartitioningCheck(
            TopicProvisioner provisioner,
            ProcessorConfiguration.PipelineTopics declared,
            TopicSettings topics,
            PlacementProperties placement) {
        this.provisioner = provisioner;
        this.declared = declared;
        this.topics = topics;
        this.placement = placement;
    }

    /**
     * Creates the declared topics that do not exist yet and waits until every one is described with a leader per
     * partition ({@link TopicProvisioner#ensure}, retrying until {@code orders.startup.timeout}): a stream thread that
     * starts on missing source topics dies with INCOMPLETE_SOURCE_TOPIC_METADATA, and a describe straight after a
     * create may meet a broker that does not know the topic yet. Existing topics are never modified: adding
     * partitions to a topic keyed by account would move keys between partitions, which is exactly what the check then
     * reports instead.
     *
     * @throws IllegalStateException if the topics are not usable in time, or not co-partitioned
     */
    void run() {
        Map<String, TopicDescription> described = provisioner.ensure(declared.topics());
        requireCoPartitioned(described, keyedByAccount());
    }

    private List<String> keyedByAccount() {
        List<String> names =
                new ArrayList<>(List.of(topics.commands(), topics.names().executions()));
        for (int tier = 0; tier < placement.tiers(); tier++) {
            names.add(topics.names().retry(tier));
        }
        return names;
    }

    /** Fails unless every topic of {@code byAccount} has the same number of partitions in {@code described}. */
    static void requireCoPartitioned(Map<String, TopicDescription> described, List<String> byAccount) {
        Map<String, Integer> partitions = new TreeMap<>();
        for (String name : byAccount) {
            TopicDescription description = described.get(name);
            if (description == null) {
                throw new IllegalStateException("topic " + name + " was not described");
            }
            partitions.put(name, description.partitions().size());
        }
        if (partitions.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("topics partitioned by account must have the same number of partitions "
                    + "(orders.topics.partitions) so that an account's commands, retries and venue reports meet in one task: "
                    + partitions);
        }
        log.info("co-partitioned by account: {}", partitions);
    }
}
