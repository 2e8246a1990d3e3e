package io.orderpipeline.bench.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops, kills and restarts one service of the stack, whoever launched it: before stopping it, the command line,
 * environment and working directory are read from {@code /proc}, and the restart runs exactly that again (output to
 * a log file of the harness). With restart mode {@code external}, something else (a supervisor) restarts it and this
 * class only waits for the port.
 *
 * <p>A restarted service is a child of the harness; its pid is appended to {@code restarted.pids} so that {@code
 * bench.sh} can stop it with the rest of the stack.
 */
public final class ServiceControl {

    private static final Logger log = LoggerFactory.getLogger(ServiceControl.class);

    /** How to start a service again. */
    public record Launch(List<String> command, Map<String, String> environment, Path directory) {
        static Launch of(long pid) {
            List<String> command = new java.util.ArrayList<>(ProcFs.cmdline(pid));
            // the executable as the kernel resolved it, so PATH differences cannot pick another JDK
            ProcFs.exe(pid).ifPresent(exe -> command.set(0, exe.toString()));
            return new Launch(command, ProcFs.environ(pid), ProcFs.cwd(pid));
        }
    }

    private final String name;
    private final int port;
    private final String restartMode;
    private final Path logDir;
    private final Map<String, String> overrides;
    private long pid;
    private Launch launch;
    private long restartLogOffset;

    /** @param overrides environment variables to set on every restart (e.g. the exchange latency) */
    public ServiceControl(
            String name, int port, long pid, String restartMode, Path logDir, Map<String, String> overrides) {
        this.name = name;
        this.overrides = Map.copyOf(overrides);
        this.port = port;
        this.pid = pid;
        this.restartMode = restartMode;
        this.logDir = logDir;
    }

    public long pid() {
        return pid;
    }

    /** SIGKILL: no shutdown hook, no commit, no flush; what a crash looks like. */
    public void kill() {
        launch = Launch.of(pid);
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(name + " gone"));
        handle.destroyForcibly();
        handle.onExit().join();
        log.info("{} (pid {}) killed with SIGKILL", name, pid);
    }

    /** SIGTERM and wait: a clean stop (Kafka Streams commits and closes). */
    public void stop(Duration grace) {
        launch = Launch.of(pid);
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(name + " gone"));
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
        log.info("{} (pid {}) stopped", name, pid);
    }

    /** Starts the service again the way it was started; returns immediately. */
    public void restart() {
        if (restartMode.equals("external")) {
            return;
        }
        if (launch == null) {
            throw new IllegalStateException(name + " was not stopped by the harness");
        }
        try {
            Files.createDirectories(logDir);
            Path logFile = restartLog();
            restartLogOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            ProcessBuilder builder = new ProcessBuilder(launch.command())
                    .directory(launch.directory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().clear();
            builder.environment().putAll(launch.environment());
            builder.environment().putAll(overrides);
            Process process = builder.start();
            pid = process.pid();
            Files.writeString(
                    logDir.getParent().resolve("restarted.pids"),
                    pid + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            log.info("{} restarted as pid {} ({})", name, pid, String.join(" ", launch.command()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart " + name, e);
        }
    }

    /** Where a restarted service logs (appended across restarts). */
    public Path restartLog() {
        return logDir.resolve(name + "-restarted.log");
    }

    /**
     * Seconds from the last restart's JVM launch to Spring Boot's "Started" line ({@link StartupLog}), if the
     * service has logged it yet.
     */
    public java.util.OptionalDouble startedAfterRestart() {
        try {
            Path logFile = restartLog();
            if (!Files.exists(logFile)) {
                return java.util.OptionalDouble.empty();
            }
            byte[] all = Files.readAllBytes(logFile);
            int from = (int) Math.min(all.length, restartLogOffset);
            return StartupLog.processSeconds(
                    new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return java.util.OptionalDouble.empty();
        }
    }

    /** Waits until something listens on the service's port again; returns its pid. */
    public long awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong found = ProcFs.pidListeningOn(port);
            if (found.isPresent()) {
                pid = found.getAsLong();
                return pid;
            }
            Sleep.millis(100);
        }
        throw new IllegalStateException(name + " not listening on " + port + " within " + timeout);
    }
}
