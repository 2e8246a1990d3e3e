package io.orderpipeline.localstack;

import io.orderpipeline.infra.Jvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class-data sharing for a Spring Boot service: its JVM maps the classes it loads at start-up from an
 * archive instead of loading and verifying them one by one. Measured on the 2-core box (stream-processor, from launch
 * to Kafka Streams RUNNING, 3 runs each, load ≈ 3): 6.3 s median without, 4.9 s with (−1.4 s, −22 %). That is most
 * of what a supervised restart after a crash costs, see {@code docs/ARCHITECTURE.md}, "Recovery".
 *
 * <p>How, without a training step of its own and without anything that needs the broker at build time:
 *
 * <ol>
 *   <li>The exec jar is extracted once per build ({@code java -Djarmode=tools -jar … extract}, Spring Boot's layout for
 *       CDS: the application jar plus {@code lib/}) into {@code <module>/target/cds/<jar name>/}; a rebuilt jar is
 *       extracted again and its archive dropped.
 *   <li>Every launch names the archive ({@code -XX:SharedArchiveFile}, {@code -Xshare:auto}: a missing or stale
 *       archive is silently not used). While there is none, the JVM also writes the classes it loads to a list
 *       ({@code -XX:DumpLoadedClassList}, written as they load, so even a killed run leaves it).
 *   <li>Once such a service is healthy, the launcher builds the archive from that list in the background ({@code
 *       -Xshare:dump}, about 14 s of one core, at low priority) and moves it in place atomically; the next start or
 *       restart of that service uses it, also one that replays the same command line (the bench's recovery row).
 * </ol>
 *
 * <p>{@code LOCAL_STACK_CDS=off} launches the plain exec jar instead.
 */
final class ClassDataSharing {

    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);
    private static final Set<Path> DUMPING = ConcurrentHashMap.newKeySet();

    private final Path jar;
    private final Path directory;
    private final Path classList;
    private final boolean enabled;

    private ClassDataSharing(Path jar, Path directory, String instance, boolean enabled) {
        this.jar = jar;
        this.directory = directory;
        this.classList = directory.resolve("classes-" + instance + ".lst");
        this.enabled = enabled;
    }

    /** For {@code jar}, launched as instance {@code instance} (several instances share one archive). */
    static ClassDataSharing of(Path jar, String instance) {
        boolean enabled = !"off".equalsIgnoreCase(System.getenv().getOrDefault("LOCAL_STACK_CDS", "on"));
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path directory = jar.toAbsolutePath().getParent().resolve("cds").resolve(name);
        return new ClassDataSharing(jar, directory, instance, enabled);
    }

    /** The arguments that replace {@code -jar <exec jar>}: the archive options and the extracted jar. */
    List<String> launchArguments() {
        List<String> arguments = new ArrayList<>();
        if (!enabled || !extracted()) {
            arguments.add("-jar");
            arguments.add(jar.toString());
            return arguments;
        }
        arguments.add("-XX:SharedArchiveFile=" + archive());
        arguments.add("-Xshare:auto");
        if (!Files.exists(archive())) {
            arguments.add("-XX:DumpLoadedClassList=" + classList);
        }
        arguments.add("-jar");
        arguments.add(extractedJar().toString());
        return arguments;
    }

    /** Called once the instance is healthy: builds the archive from its class list if there is none yet. */
    void healthy() {
        if (!enabled || Files.exists(archive()) || !Files.exists(classList) || !DUMPING.add(directory)) {
            return;
        }
        Path partial = directory.resolve("app.jsa.partial");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/nice"))) {
            command.addAll(List.of("/usr/bin/nice", "-n", "19"));
        }
        command.addAll(List.of(
                Jvm.javaExecutable(),
                "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + partial,
                "-cp",
                extractedJar().toString()));
        try {
            Process dump = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("dump.log").toFile())
                    .start();
            dump.onExit().thenAccept(done -> {
                try {
                    if (done.exitValue() == 0 && Files.exists(partial)) {
                        Files.move(partial, archive(), StandardCopyOption.ATOMIC_MOVE);
                        log.debug("class-data archive ready: {}", archive());
                    }
                } catch (IOException e) {
                    log.debug("class-data archive not moved in place: {}", e.toString());
                } finally {
                    DUMPING.remove(directory);
                }
            });
        } catch (IOException e) {
            DUMPING.remove(directory);
            log.debug("class-data archive not built: {}", e.toString());
        }
    }

    Path archive() {
        return directory.resolve("app.jsa");
    }

    private Path extractedJar() {
        return directory.resolve(jar.getFileName());
    }

    /** Extracts the jar when it changed since the last extraction; false if that fails (then: a plain launch). */
    private boolean extracted() {
        synchronized (ClassDataSharing.class) {
            try {
                String stamp =
                        Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
                Path stampFile = directory.resolve("stamp");
                if (Files.exists(stampFile)
                        && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp)
                        && Files.exists(extractedJar())) {
                    return true;
                }
                deleteRecursively(directory);
                Files.createDirectories(directory);
                Process extract = new ProcessBuilder(
                                Jvm.javaExecutable(),
                                "-Djarmode=tools",
                                "-jar",
                                jar.toString(),
                                "extract",
                                "--destination",
                                directory.toString(),
                                "--force")
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("extract.log").toFile())
                        .start();
                if (extract.waitFor() != 0 || !Files.exists(extractedJar())) {
                    log.warn(
                            "could not extract {} for class-data sharing (see {}); starting it as is",
                            jar,
                            directory.resolve("extract.log"));
                    return false;
                }
                Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
