package io.orderpipeline.bench.stack;

import io.orderpipeline.infra.Jvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM on the harness's own classpath (a baseline, Kafka's ProducerPerformance), with its output copied to a
 * log file and kept in memory for the caller to parse.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> drained;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.drained = CompletableFuture.runAsync(() -> pump(log));
    }

    /** Starts {@code mainClass} with {@code jvmOptions} (e.g. heap) and {@code args}, output appended to {@code log}. */
    public static ChildJvm start(List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ChildJvm(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    private void pump(Path log) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var out = Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                out.write(line);
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            // the child ended
        }
    }

    /** Waits until a line matching {@code test} has been printed; false on timeout or exit. */
    public boolean awaitLine(Predicate<String> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines.stream().anyMatch(test)) {
                return true;
            }
            if (!process.isAlive()) {
                return lines.stream().anyMatch(test);
            }
            Sleep.millis(50);
        }
        return false;
    }

    /** Waits for the child to exit on its own; false on timeout. */
    public boolean awaitExit(Duration timeout) {
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                drained.get(5, TimeUnit.SECONDS);
            }
            return exited;
        } catch (Exception e) {
            return false;
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Jvm.stop(process, Duration.ofSeconds(20));
    }
}
