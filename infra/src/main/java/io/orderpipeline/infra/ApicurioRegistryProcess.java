package io.orderpipeline.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry (the Quarkus runner from {@code io.apicurio:apicurio-registry-app:<v>:zip:all}) started
 * as a child JVM on 127.0.0.1 with in-memory storage. The distribution is taken from the local Maven repository,
 * where the build put it, and unpacked once into {@code ~/.cache/order-pipeline}.
 */
public final class ApicurioRegistryProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistryProcess.class);

    private final Process process;
    private final String host;
    private final int port;

    private ApicurioRegistryProcess(Process process, String host, int port) {
        this.process = process;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts the registry and waits until its API answers.
     *
     * @param port the HTTP port, or 0 for a free one
     * @param logFile where the registry's console output goes
     * @param extraJvmArgs further {@code -D} settings for Quarkus, e.g. storage options
     */
    public static ApicurioRegistryProcess start(int port, Path logFile, List<String> extraJvmArgs) {
        int boundPort = port == 0 ? Ports.free() : port;
        Path runner = runnerJar();
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaExecutable());
        command.add("-Xms64m");
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + boundPort);
        command.add("-Dquarkus.log.level=WARN");
        command.add("-Dquarkus.log.category.\"io.apicurio\".level=WARN");
        command.add("-Dregistry.ccompat.legacy-id-mode.enabled=false");
        command.addAll(extraJvmArgs);
        command.add("-jar");
        command.add(runner.toString());
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(runner.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("QUARKUS_") || key.startsWith("REGISTRY_"));
            Process process = builder.start();
            ApicurioRegistryProcess registry = new ApicurioRegistryProcess(process, "127.0.0.1", boundPort);
            registry.awaitReady(Duration.ofSeconds(120), logFile);
            log.info("Apicurio Registry ready at {} (pid {})", registry.baseUrl(), process.pid());
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Apicurio Registry", e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }

    /** The Apicurio v2 API that Apicurio's serdes talk to. */
    public String registryApiUrl() {
        return baseUrl() + "/apis/registry/v2";
    }

    /** The Confluent-compatible API, for Confluent clients. */
    public String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout, Path logFile) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(registryApiUrl() + "/system/info"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Apicurio Registry exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> response = client.send(probe, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
            Jvm.pause(Duration.ofMillis(200));
        }
        close();
        throw new IllegalStateException("Apicurio Registry not ready within " + timeout + "; see " + logFile);
    }

    @Override
    public void close() {
        Jvm.stop(process, Duration.ofSeconds(15));
    }

    /** Path of the registry's runner jar, unpacking the distribution on first use. */
    static Path runnerJar() {
        Properties props = new Properties();
        try (InputStream in = ApicurioRegistryProcess.class.getResourceAsStream("infra.properties")) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = props.getProperty("apicurio.version");
        String repo = System.getProperty("maven.repo.local", props.getProperty("maven.local.repository"));
        Path zip = Path.of(System.getProperty(
                "apicurio.zip",
                repo + "/io/apicurio/apicurio-registry-app/" + version + "/apicurio-registry-app-" + version
                        + "-all.zip"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Apicurio Registry distribution not found at " + zip
                    + "; build the project with ./mvnw so that Maven downloads it");
        }
        Path target = Path.of(System.getProperty("user.home"), ".cache", "order-pipeline", "apicurio-" + version);
        if (!Files.isDirectory(target)) {
            unzip(zip, target);
        }
        try (Stream<Path> files = Files.walk(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void unzip(Path zip, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path staging = Files.createTempDirectory(target.getParent(), "unpack-");
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("zip entry outside target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }
}
