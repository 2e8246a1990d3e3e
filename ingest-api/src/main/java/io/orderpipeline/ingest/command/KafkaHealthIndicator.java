package io.orderpipeline.ingest.command;

import io.orderpipeline.shared.TopicSettings;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health {@code kafka}: UP when a broker answers a cluster description within 2 s, ingest's topics exist and every
 * transactional committer is ready; DOWN otherwise, also while a committer recovers from a failure or the topics are
 * still being provisioned (details say which). Part of the readiness group (a load balancer should stop sending orders
 * we would answer 503) but not of liveness (a missing broker is not cured by restarting us; every component
 * reconnects and recovers by itself).
 */
@Component("kafka")
class KafkaHealthIndicator implements HealthIndicator {

    private final Admin admin;
    private final TopicSettings topics;
    private final CommandLog commands;
    private final TopicProvisioning provisioning;

    KafkaHealthIndicator(Admin ingestAdmin, TopicSettings topics, CommandLog commands, TopicProvisioning provisioning) {
        this.admin = ingestAdmin;
        this.topics = topics;
        this.commands = commands;
        this.provisioning = provisioning;
    }

    @Override
    public Health health() {
        boolean ready = commands.ready() && provisioning.done();
        Health.Builder health = (ready ? Health.up() : Health.down())
                .withDetail("topic", topics.commands())
                .withDetail("topics", provisioning.state())
                .withDetail("transactionalProducer", commands.ready() ? "ready" : "not ready")
                .withDetail("committers", commands.committerStates())
                .withDetail("committerRestarts", commands.restarts());
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000));
            int brokers = cluster.nodes().get(2, TimeUnit.SECONDS).size();
            String clusterId = cluster.clusterId().get(2, TimeUnit.SECONDS);
            return health.withDetail("clusterId", clusterId)
                    .withDetail("brokers", brokers)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return health.down(e).build();
        } catch (ExecutionException | TimeoutException e) {
            return health.down()
                    .withDetail("error", String.valueOf(e.getCause() == null ? e : e.getCause()))
                    .build();
        }
    }
}
