package io.orderpipeline.shared;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mechanism that creates topics, used by every service for the topics it owns. It creates those that are
 * missing (never modifying an existing topic: adding partitions to a keyed topic would move keys between partitions)
 * and then waits until every topic is <em>usable</em>: described by the broker with a leader for each partition. A
 * topic that was just created is not usable at once; its metadata reaches the broker's cache a moment later, and a
 * describe in between fails with {@code UnknownTopicOrPartitionException}. Both steps retry through {@link
 * StartupWait} until {@code orders.startup.timeout}.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final int REQUEST_TIMEOUT_MS = 5_000;

    private final KafkaClients clients;
    private final StartupWait wait;

    public TopicProvisioner(KafkaClients clients, StartupWait wait) {
        this.clients = clients;
        this.wait = wait;
    }

    /**
     * Creates the missing {@code topics} and waits until all of them are usable.
     *
     * @return the description of each topic, by name
     * @throws IllegalStateException if they are not usable within the start-up timeout
     */
    public Map<String, TopicDescription> ensure(Collection<NewTopic> topics) {
        try (Admin admin = clients.admin(Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG,
                "topic-provisioner",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                REQUEST_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                2 * REQUEST_TIMEOUT_MS))) {
            return ensure(admin, topics);
        }
    }

    /** As {@link #ensure(Collection)}, with the caller's admin client. */
    public Map<String, TopicDescription> ensure(Admin admin, Collection<NewTopic> topics) {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        wait.run("topics " + names + " to exist", () -> createMissing(admin, topics));
        return describe(admin, names);
    }

    /**
     * Waits until each of {@code names} is described with a leader for every partition; for topics another service
     * owns.
     */
    public Map<String, TopicDescription> describe(Admin admin, Collection<String> names) {
        return wait.until("metadata of topics " + names + " (every partition with a leader)", () -> {
            Map<String, TopicDescription> described = admin.describeTopics(
                            names, new DescribeTopicsOptions().timeoutMs(REQUEST_TIMEOUT_MS))
                    .allTopicNames()
                    .get();
            for (TopicDescription description : described.values()) {
                for (TopicPartitionInfo partition : description.partitions()) {
                    if (partition.leader() == null || partition.leader().isEmpty()) {
                        throw new LeaderNotAvailableException(
                                "no leader yet for " + description.name() + "-" + partition.partition());
                    }
                }
            }
            return described;
        });
    }

    private static void createMissing(Admin admin, Collection<NewTopic> topics) throws Exception {
        Set<String> existing = admin.listTopics(new ListTopicsOptions().timeoutMs(REQUEST_TIMEOUT_MS))
                .names()
                .get();
        List<NewTopic> missing =
                topics.stream().filter(t -> !existing.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        log.info(
                "creating topics {}",
                missing.stream()
                        .map(t -> t.name() + " (" + t.numPartitions() + " partitions)")
                        .collect(Collectors.joining(", ")));
        Map<String, KafkaFuture<Void>> results = admin.createTopics(
                        missing, new CreateTopicsOptions().timeoutMs(REQUEST_TIMEOUT_MS))
                .values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // created meanwhile by another service or instance: fine, it is never modified here
            }
        }
    }

    /** How long {@link #ensure} waits at most. */
    public Duration timeout() {
        return wait.timeout();
    }
}
