package io.orderpipeline.ingest.support;

import io.orderpipeline.infra.Jvm;
import io.orderpipeline.ingest.IngestApiApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real ingest-api as a child JVM ({@code java -cp <the test classpath> IngestApiApplication}), for tests that kill
 * it with SIGKILL: nothing of it runs in the test JVM, so nothing of it survives the kill.
 */
public final class IngestProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path logFile;

    private IngestProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts an instance on {@code port} and waits until it is ready. */
    public static IngestProcess start(
            String name, int port, String bootstrapServers, String registryUrl, String... properties) {
        List<String> command = new ArrayList<>(List.of(
                Jvm.javaExecutable(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                testClasspath(),
                IngestApiApplication.class.getName(),
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--orders.registry.url=" + registryUrl,
                "--" + TestIssuer.issuerProperty()));
        for (String property : properties) {
            command.add("--" + property);
        }
        Path logFile = Path.of("target", "ingest-processes", name + ".log").toAbsolutePath();
        try {
            Files.createDirectories(logFile.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            IngestProcess started = new IngestProcess(process, port, logFile);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ingest-api " + name, e);
        }
    }

    public Http http() {
        return new Http(port);
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGKILL, and wait until the process is gone: no shutdown hook, no graceful close, open transactions stay. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ingest-api did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Jvm.stop(process, Duration.ofSeconds(30));
    }

    private void awaitReady() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "ingest-api exited with " + process.exitValue() + "; see " + logFile);
                    }
                    try {
                        return http().get("/actuator/health/readiness").statusCode() == 200;
                    } catch (UncheckedIOException notListeningYet) {
                        return false;
                    }
                });
    }

    /** The test JVM's classpath: Surefire's real one, not its manifest-only booter jar. */
    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
