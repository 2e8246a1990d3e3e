package io.orderpipeline.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a child wrote to its log before it failed, so that a failure message says why without opening the file: the
 * error lines if there are any (a shutdown after a fatal error buries the cause under hundreds of lines), else the
 * last lines.
 */
public final class LogTail {

    private static final int MAX_BYTES = 512 * 1024;
    private static final Pattern PROBLEM = Pattern.compile("\\b(ERROR|FATAL|SEVERE)\\b|Exception: |^Caused by: ");

    private LogTail() {}

    /** The current size of {@code file} (0 if absent): pass it to {@link #since} to skip earlier runs' output. */
    public static long mark(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Up to {@code lines} last lines of {@code file}. */
    public static String last(Path file, int lines) {
        return since(file, 0, lines);
    }

    /**
     * Up to {@code max} error lines written to {@code file} after byte {@code offset}, or its last {@code max} lines if
     * none looks like an error; an empty string if it cannot be read.
     */
    public static String since(Path file, long offset, int max) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(Math.min(offset, length), length - MAX_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            List<String> problems = all.stream()
                    .filter(line -> PROBLEM.matcher(line).find())
                    .limit(max)
                    .collect(Collectors.toList());
            List<String> shown = problems.isEmpty() ? all.subList(Math.max(0, all.size() - max), all.size()) : problems;
            return String.join(System.lineSeparator(), shown);
        } catch (IOException e) {
            return "";
        }
    }
}
