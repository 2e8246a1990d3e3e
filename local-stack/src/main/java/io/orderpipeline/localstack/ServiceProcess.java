package io.orderpipeline.localstack;

import io.orderpipeline.infra.Jvm;
import io.orderpipeline.infra.LogTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the Spring Boot services (the issuer included) as a child JVM ({@code java -jar <module>-exec.jar}, extracted
 * for class-data sharing, see {@link ClassDataSharing}). It inherits the
 * launcher's environment, so {@code ORDERS_EXCHANGE_FAILURERATE=0.5 ./run-local.sh} reaches the service, plus the
 * variables the launcher owns ({@code environment}); its console goes to its log file, appended to across restarts.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(40);
    private static final Pattern STREAMS_STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final String healthPath;
    private final Process process;
    private final Path logFile;
    private final long logMark;
    private final ClassDataSharing classData;

    private ServiceProcess(
            String name,
            int port,
            String healthPath,
            Process process,
            Path logFile,
            long logMark,
            ClassDataSharing classData) {
        this.classData = classData;
        this.name = name;
        this.port = port;
        this.healthPath = healthPath;
        this.process = process;
        this.logFile = logFile;
        this.logMark = logMark;
    }

    static ServiceProcess start(
            String name,
            Path jar,
            int port,
            String healthPath,
            List<String> jvmOptions,
            Map<String, String> environment,
            Path workDir,
            Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaExecutable());
        command.addAll(jvmOptions);
        // Tags the command line, so that a later launcher recognises a leftover of this stack (see StackHome).
        command.add("-Dlocal-stack.home=" + workDir.getParent());
        ClassDataSharing classData = ClassDataSharing.of(jar, name);
        command.addAll(classData.launchArguments());
        command.add("--server.port=" + port);
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.getParent());
            long mark = LogTail.mark(logFile);
            Files.writeString(
                    logFile,
                    System.lineSeparator() + "==== local-stack: starting " + name + " at " + Instant.now() + " ===="
                            + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            return new ServiceProcess(name, port, healthPath, builder.start(), logFile, mark, classData);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * True once {@code /actuator/health} answers 200 with status UP and every Kafka Streams state it reports (client
     * and threads) is RUNNING. The services count REBALANCING as UP, which is right for a running service, but at
     * start-up it means nothing is processed yet: a stack announced as ready must take an order straight away. A
     * process probed on another path (the issuer's discovery document) is ready when that path answers 200.
     *
     * @throws IllegalStateException if the process has exited, with the last log lines that say why
     */
    boolean isHealthy() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " during start-up; see "
                    + logFile + System.lineSeparator() + LogTail.since(logFile, logMark, 12));
        }
        HttpRequest probe = HttpRequest.newBuilder(URI.create(healthUrl()))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
            boolean healthy = response.statusCode() == 200
                    && (!healthPath.equals(InstancePlan.ACTUATOR_HEALTH) || isReady(response.body()));
            if (healthy) {
                classData.healthy();
            }
            return healthy;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** UP, and no Kafka Streams client or thread in a state other than RUNNING. */
    static boolean isReady(String health) {
        if (!health.contains("\"status\":\"UP\"")) {
            return false;
        }
        Matcher states = STREAMS_STATE.matcher(health);
        while (states.find()) {
            if (!states.group(1).equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    String healthUrl() {
        return "http://127.0.0.1:" + port + healthPath;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Path logFile() {
        return logFile;
    }

    String lastLogLines() {
        return LogTail.since(logFile, logMark, 12);
    }

    /** SIGTERM (Spring's graceful shutdown closes Kafka Streams and flushes producers), SIGKILL after 40 s. */
    @Override
    public void close() {
        Jvm.stop(process, STOP_GRACE);
    }
}
