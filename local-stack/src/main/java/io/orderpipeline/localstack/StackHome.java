package io.orderpipeline.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stack's directory ({@code .local-stack/}): Kafka's log directory, the registry's database, the Streams state
 * directories and the logs, all of which survive a restart. One launcher at a time owns it (a file lock, released by
 * the OS even if the launcher is killed), and the next launcher stops any child that a killed one left behind.
 */
final class StackHome implements AutoCloseable {

    private static final String LOCK = ".lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StackHome(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Takes the directory for this launcher.
     *
     * @throws IllegalStateException if another launcher holds it
     */
    static StackHome open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(
                    dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                String owner = new String(Files.readAllBytes(dir.resolve(LOCK)), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("Another local stack is running from " + dir
                        + (owner.isEmpty() ? "" : " (launcher pid " + owner + ")")
                        + ". Stop it with Ctrl-C in its terminal, or use another LOCAL_STACK_HOME.");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            return new StackHome(dir, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Stops children of an earlier launcher that died without stopping them (SIGKILL, a crash): JVMs whose command
     * line names this directory, which every child's does (the broker's {@code server.properties}, the registry's
     * database URL, the services' {@code -Dlocal-stack.home}); a user's {@code tail -f .local-stack/logs/…} is left
     * alone. Without this, a broker left behind would hold port 9092 and the data directory.
     */
    void stopLeftovers(PrintStream out) {
        Pattern ours = Pattern.compile(Pattern.quote(dir.toString()) + "(/|\\s|$)");
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self)
                .filter(process -> isJava(commandLine(process)))
                .filter(process -> ours.matcher(commandLine(process)).find())
                .toList();
        for (ProcessHandle leftover : leftovers) {
            out.printf(
                    "Stopping pid %d, left over from an earlier run in %s: %s%n",
                    leftover.pid(), dir, abbreviate(commandLine(leftover)));
        }
        leftovers.parallelStream().forEach(leftover -> stop(leftover, Duration.ofSeconds(30)));
    }

    /** Wipes everything but the lock: Kafka's data, the registry's schemas, state stores, logs. */
    void reset() {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(p -> !p.getFileName().toString().equals(LOCK))
                    .toList()) {
                deleteTree(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset " + dir, e);
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    static void stop(ProcessHandle process, Duration grace) {
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The full command line: {@code /proc/<pid>/cmdline} where there is one, because
     * {@link ProcessHandle.Info#commandLine()} gives up on long ones (the broker's classpath is several KB).
     */
    private static String commandLine(ProcessHandle process) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException noProcfs) {
            return process.info().commandLine().orElse("");
        }
    }

    private static boolean isJava(String commandLine) {
        String program = commandLine.split(" ", 2)[0];
        return program.equals("java") || program.endsWith("/java");
    }

    private static String abbreviate(String commandLine) {
        return commandLine.length() <= 120 ? commandLine : commandLine.substring(0, 117) + "...";
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            List<Path> paths = tree.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the OS releases the lock with the process anyway
        }
    }
}
