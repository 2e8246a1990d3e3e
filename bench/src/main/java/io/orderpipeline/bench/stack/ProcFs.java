package io.orderpipeline.bench.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What Linux's {@code /proc} says about the stack's processes: who listens on a port, CPU time, resident memory, and
 * the command line, environment and working directory needed to start a killed process again. Reading {@code /proc}
 * keeps the harness independent of how the stack was launched.
 */
public final class ProcFs {

    /** Linux's USER_HZ; 100 on every mainstream kernel build. */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcFs() {}

    /** The process listening on TCP {@code port} (any address, IPv4 or IPv6), if any. */
    public static OptionalLong pidListeningOn(int port) {
        Set<String> inodes = new HashSet<>();
        inodes.addAll(listeningInodes(Path.of("/proc/net/tcp"), port));
        inodes.addAll(listeningInodes(Path.of("/proc/net/tcp6"), port));
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException gone) {
                            continue;
                        }
                        if (target.startsWith("socket:[")
                                && inodes.contains(target.substring(8, target.length() - 1))) {
                            return OptionalLong.of(
                                    Long.parseLong(proc.getFileName().toString()));
                        }
                    }
                } catch (IOException | SecurityException unreadable) {
                    // process ended, or not ours
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return OptionalLong.empty();
    }

    static List<String> listeningInodes(Path table, int port) {
        List<String> inodes = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (NoSuchFileException absent) {
            return inodes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String portHex = String.format(":%04X", port);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            if (f.length > 9 && f[1].endsWith(portHex) && f[3].equals("0A")) {
                inodes.add(f[9]);
            }
        }
        return inodes;
    }

    /** User + system CPU time of {@code pid} in nanoseconds, or -1 when it is gone. */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return cpuNanosFromStat(stat);
        } catch (IOException gone) {
            return -1;
        }
    }

    static long cpuNanosFromStat(String stat) {
        // the command name may contain spaces and parentheses: fields start after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime (14th), stime (15th)
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** A {@code kB} field of {@code /proc/<pid>/status} in MiB, e.g. {@code VmRSS} or {@code VmHWM}; -1 if gone. */
    public static double statusMiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    String kb = line.substring(field.length() + 1).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException gone) {
            return -1;
        }
        return -1;
    }

    /** The command line of {@code pid}. */
    public static List<String> cmdline(long pid) {
        return nulSeparated(read(pid, "cmdline"));
    }

    /** The environment {@code pid} was started with. */
    public static Map<String, String> environ(long pid) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : nulSeparated(read(pid, "environ"))) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    /** Working directory of {@code pid}. */
    public static Path cwd(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The executable of {@code pid} (for a JVM: which JDK it runs on). */
    public static Optional<Path> exe(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] read(long pid, String file) {
        try {
            return Files.readAllBytes(Path.of("/proc", Long.toString(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> nulSeparated(byte[] bytes) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                parts.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            parts.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return parts;
    }
}
