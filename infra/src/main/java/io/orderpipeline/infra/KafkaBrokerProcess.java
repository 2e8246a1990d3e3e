package io.orderpipeline.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker ({@code kafka.Kafka} from the {@code kafka_2.13} jars) in KRaft mode, started as a child
 * JVM on 127.0.0.1: one node that is both broker and controller, with its log directory under {@code dataDir}, so
 * that topics, offsets and state-store changelogs survive a restart on the same directory.
 *
 * <p>The storage is formatted once (Kafka's {@code StorageTool format} with a fresh cluster id and a static
 * single-voter quorum); later starts on the same directory reuse it. The controller listener takes a free port on each
 * start, which a static quorum ({@code controller.quorum.voters}) allows, so only the client port is fixed. The
 * internal topics are sized for one node (replication factor 1, fewer offset and transaction partitions than
 * Kafka's defaults, to start quickly). Topics are never auto-created: every topic is declared by the service that
 * owns it, with its partition count and cleanup policy.
 *
 * <p>The broker's classpath is the one the infra build resolved ({@code kafka-broker.classpath}, absolute paths in
 * the local Maven repository), so nothing has to be downloaded or unpacked at run time.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);

    private static final String LOG_DIR_NAME = "kraft-combined-logs";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path dataDir;

    private KafkaBrokerProcess(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a broker with default settings; see {@link #start(int, Path, Path, Map, List)}. */
    public static KafkaBrokerProcess start(int port, Path dataDir, Path logFile) {
        return start(port, dataDir, logFile, Map.of(), List.of());
    }

    /**
     * Formats {@code dataDir} if it holds no broker yet, starts the broker and waits until an AdminClient sees it.
     *
     * @param port the client (PLAINTEXT) port, or 0 for a free one
     * @param dataDir the broker's home: {@code server.properties} and the log directory
     * @param logFile where the broker's console output is appended
     * @param extraConfig broker settings that override the defaults (e.g. {@code log.retention.hours})
     * @param extraJvmArgs further JVM options, after the defaults (a later {@code -Xmx} wins)
     * @throws IllegalStateException if the broker exits or is not ready in time; the message carries its last log lines
     */
    public static KafkaBrokerProcess start(
            int port, Path dataDir, Path logFile, Map<String, String> extraConfig, List<String> extraJvmArgs) {
        int clientPort = port == 0 ? Ports.free() : port;
        Path home = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(home);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Path serverProperties = home.resolve("server.properties");
            writeProperties(serverProperties, config(clientPort, Ports.free(), home, extraConfig));
            String classpath = classpath();
            long logMark = LogTail.mark(logFile);
            if (!Files.isRegularFile(home.resolve(LOG_DIR_NAME).resolve("meta.properties"))) {
                format(classpath, serverProperties, logFile, logMark);
            }
            List<String> command = new ArrayList<>();
            command.add(Jvm.javaExecutable());
            command.addAll(List.of(
                    "-Xms64m",
                    "-Xmx384m",
                    "-XX:+UseSerialGC",
                    "-Djava.awt.headless=true",
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-Dorg.slf4j.simpleLogger.log.state.change.logger=warn",
                    "-Dorg.slf4j.simpleLogger.log.kafka.coordinator=warn",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn"));
            command.addAll(extraJvmArgs);
            command.addAll(List.of("-cp", classpath, "kafka.Kafka", serverProperties.toString()));
            Process process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            KafkaBrokerProcess broker = new KafkaBrokerProcess(process, clientPort, home);
            broker.awaitReady(START_TIMEOUT, logFile, logMark);
            log.info("Kafka broker ready at {} (pid {}, data {})", broker.bootstrapServers(), process.pid(), home);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker in " + home, e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The child process, e.g. to watch for its exit. */
    public Process process() {
        return process;
    }

    /** Controlled shutdown on SIGTERM; SIGKILL if the broker has not exited within 30 s. */
    @Override
    public void close() {
        Jvm.stop(process, STOP_GRACE);
    }

    /** The jars of the broker JVM, as the infra build resolved them. */
    static String classpath() {
        String listed;
        try (InputStream in = KafkaBrokerProcess.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException(
                        "kafka-broker.classpath missing from the infra jar; build it with ./mvnw -pl infra install");
            }
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> missing = Arrays.stream(listed.split(java.io.File.pathSeparator))
                .filter(jar -> !Files.isRegularFile(Path.of(jar)))
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Kafka broker jars missing from the local Maven repository: " + missing
                    + "; rebuild with ./mvnw install so that Maven downloads them");
        }
        return listed;
    }

    static Map<String, String> config(int clientPort, int controllerPort, Path home, Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", home.resolve(LOG_DIR_NAME).toString());
        // Topics come from their owners' declarations (NewTopic beans with partitions and cleanup policy; Kafka
        // Streams' internal topics), never from a client's metadata request racing them with broker defaults: an
        // auto-created `instruments` or `orders.state` would silently lose compaction.
        config.put("auto.create.topics.enable", "false");
        config.put("num.partitions", "3");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "10");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "10");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.putAll(extra);
        return config;
    }

    private static void writeProperties(Path file, Map<String, String> config) throws IOException {
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "written by KafkaBrokerProcess on every start");
        }
    }

    private static void format(String classpath, Path serverProperties, Path logFile, long logMark) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        List<String> command = List.of(
                Jvm.javaExecutable(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                clusterId,
                "--config",
                serverProperties.toString());
        Process format = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage timed out; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            format.destroyForcibly();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("formatting Kafka storage failed with exit code " + format.exitValue()
                    + "; see " + logFile + System.lineSeparator() + LogTail.since(logFile, logMark, 12));
        }
        log.info("Formatted Kafka storage with cluster id {}", clusterId);
    }

    private void awaitReady(Duration timeout, Path logFile, long logMark) {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited with code " + process.exitValue() + "; see "
                            + logFile + System.lineSeparator() + LogTail.since(logFile, logMark, 12));
                }
                try {
                    // A node in the cluster metadata means the broker has registered with the controller and
                    // serves metadata, i.e. clients can create topics and produce.
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    Jvm.pause(Duration.ofMillis(200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
            }
        }
        close();
        throw new IllegalStateException("Kafka broker not ready within " + timeout + "; see " + logFile
                + System.lineSeparator() + LogTail.since(logFile, logMark, 12));
    }
}
