package io.orderpipeline.ingest.command;

import io.orderpipeline.ingest.IngestSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code transactional.id} prefix of this instance's committers (committer {@code i} uses {@code <prefix>-<i>}).
 * It must survive a restart: the restarted instance's {@code initTransactions} then fences its predecessor and aborts
 * the transaction a crash left open, at once; with an id nobody reuses, {@code read_committed} readers of the
 * partitions that transaction touched wait {@code orders.ingest.producer.transaction-timeout} (plus the coordinator's
 * check interval) for it.
 *
 * <p>In order: {@code orders.ingest.producer.transactional-id}; {@code ingest-api-<orders.ingest.instance-id>};
 * {@code ingest-api-<host name>-<server.port>}; and, with {@code server.port=0} (random, so not stable), {@code
 * ingest-api-<random UUID>} with a warning.
 */
final class TransactionalIds {

    private static final Logger log = LoggerFactory.getLogger(TransactionalIds.class);
    private static final int DEFAULT_PORT = 8080;

    private TransactionalIds() {}

    /**
     * @param serverPort the configured {@code server.port}; null means Spring Boot's default (8080)
     */
    static String prefix(IngestSettings settings, Integer serverPort, Supplier<String> hostName) {
        String transactionalId = settings.producer().transactionalId();
        if (!transactionalId.isBlank()) {
            log.info("Transactional ids {}-<i> (orders.ingest.producer.transactional-id)", transactionalId);
            return transactionalId;
        }
        if (!settings.instanceId().isBlank()) {
            String prefix = "ingest-api-" + settings.instanceId();
            log.info("Transactional ids {}-<i> (orders.ingest.instance-id)", prefix);
            return prefix;
        }
        int port = serverPort == null ? DEFAULT_PORT : serverPort;
        if (port > 0) {
            String prefix = "ingest-api-" + safe(hostName.get()) + "-" + port;
            log.info("Transactional ids {}-<i> (host name and server.port; a restart fences the predecessor)", prefix);
            return prefix;
        }
        String prefix = "ingest-api-" + UUID.randomUUID();
        log.warn(
                "server.port={} is random, so the transactional ids are random too ({}-<i>): after a crash,"
                        + " read_committed readers wait up to orders.ingest.producer.transaction-timeout for the"
                        + " abandoned transaction. Set orders.ingest.instance-id to a name that survives a restart.",
                port,
                prefix);
        return prefix;
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

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
