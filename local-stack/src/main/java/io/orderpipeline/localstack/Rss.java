package io.orderpipeline.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident set size of a process, from {@code /proc/<pid>/status} (Linux only; empty elsewhere). */
final class Rss {

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

    static String format(OptionalLong kib) {
        return kib.isPresent() ? String.format("%,d MiB", kib.getAsLong() / 1024) : "n/a";
    }
}
