package io.orderpipeline.ingest.command;

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
 * Health {@code kafka}: UP when a broker answers a cluster description within 2 s and the transactional command
 * producer is initialized, DOWN otherwise. Part of the
 * readiness group (a load balancer should stop sending orders we would answer 503) but not of liveness (a missing
 * broker is not cured by restarting us; the producer reconnects by itself).
 */
@Component("kafka")
class KafkaHealthIndicator implements HealthIndicator {

    private final Admin admin;
    private final TopicSettings topics;
    private final CommandLog commands;

    KafkaHealthIndicator(Admin ingestAdmin, TopicSettings topics, CommandLog commands) {
        this.admin = ingestAdmin;
        this.topics = topics;
        this.commands = commands;
    }

    @Override
    public Health health() {
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000));
            int brokers = cluster.nodes().get(2, TimeUnit.SECONDS).size();
            String clusterId = cluster.clusterId().get(2, TimeUnit.SECONDS);
            return (commands.ready() ? Health.up() : Health.down())
                    .withDetail("transactionalProducer", commands.ready() ? "ready" : "not ready")
                    .withDetail("clusterId", clusterId)
                    .withDetail("brokers", brokers)
                    .withDetail("topic", topics.commands())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        } catch (ExecutionException | TimeoutException e) {
            return Health.down()
                    .withDetail("error", String.valueOf(e.getCause() == null ? e : e.getCause()))
                    .build();
        }
    }
}
