package io.orderpipeline.processor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's {@code group.instance.id} (Kafka Streams appends {@code -<thread>} per stream thread): a static
 * member of the consumer group.
 *
 * <p>Why: a crashed processor that its supervisor restarts used to wait for the coordinator to expire the dead member
 * (the session timeout, 10 s) before the rebalance that gave it its partitions back. A static member that rejoins
 * under the same id takes its old assignment at once, without a rebalance; measured in the bench's recovery row. A
 * graceful stop still leaves the group ({@code leaveGroupOnClose}), so a rolling restart hands the partitions over at
 * once. A crashed instance that never comes back holds its partitions for the session timeout, as before.
 *
 * <p>In order: {@code orders.processor.instance-id}; {@code <host name>-<server.port>}; none (dynamic membership)
 * with {@code server.port=0}, which is not stable across restarts (tests).
 */
final class StaticMembership {

    private static final Logger log = LoggerFactory.getLogger(StaticMembership.class);
    private static final int DEFAULT_PORT = 8080;

    private StaticMembership() {}

    /**
     * @param serverPort the configured {@code server.port}; null means Spring Boot's default (8080)
     */
    static Optional<String> groupInstanceId(
            String applicationId, String instanceId, Integer serverPort, Supplier<String> hostName) {
        Optional<String> name = instanceName(instanceId, serverPort, hostName);
        if (name.isEmpty()) {
            log.info(
                    "server.port is random: dynamic group membership (set orders.processor.instance-id for a static one)");
            return Optional.empty();
        }
        return announce(
                applicationId + "-" + name.get(),
                instanceId.isBlank() ? "host name and server.port" : "orders.processor.instance-id");
    }

    /**
     * The instance's name that survives its restarts: {@code instanceId}, else {@code <host name>-<port>}, else none
     * (random port). Also names the instance's FIX session ({@code orders.exchange.sender-comp-id}).
     */
    static Optional<String> instanceName(String instanceId, Integer serverPort, Supplier<String> hostName) {
        if (!instanceId.isBlank()) {
            return Optional.of(safe(instanceId));
        }
        int port = serverPort == null ? DEFAULT_PORT : serverPort;
        return port > 0 ? Optional.of(safe(hostName.get()) + "-" + port) : Optional.empty();
    }

    /** The host name, as the OS reports it; {@code localhost} if it cannot be resolved. */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment == null || fromEnvironment.isBlank() ? "localhost" : fromEnvironment;
        }
    }

    private static Optional<String> announce(String id, String source) {
        log.info(
                "static group membership as {}-<thread> ({}): a restarted instance takes its partitions at once",
                id,
                source);
        return Optional.of(id);
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
