package io.orderpipeline.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a process costs, from {@code /proc} (Linux only; empty elsewhere): resident set size, and the CPU time it has
 * used, which unlike wall-clock start-up time does not depend on what else the machine is doing.
 */
final class Rss {

    /** USER_HZ, the unit of {@code /proc/<pid>/stat}'s times; 100 on every mainstream Linux. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private Rss() {}

    /** {@code VmRSS} in KiB. */
    static OptionalLong kib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException notLinux) {
            // no procfs (macOS) or the process is gone
        }
        return OptionalLong.empty();
    }

    /** User plus system CPU seconds used so far. */
    static OptionalDouble cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return OptionalDouble.of(ticks / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException notLinux) {
            return OptionalDouble.empty();
        }
    }

    static String format(OptionalLong kib) {
        return kib.isPresent() ? String.format("%,d MiB", kib.getAsLong() / 1024) : "n/a";
    }

    static String format(OptionalDouble seconds) {
        return seconds.isPresent() ? String.format("%.1f s", seconds.getAsDouble()) : "n/a";
    }
}
