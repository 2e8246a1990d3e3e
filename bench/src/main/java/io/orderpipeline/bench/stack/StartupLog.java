package io.orderpipeline.bench.stack;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Spring Boot's start-up line ({@code Started App in 8.251 seconds (process running for 8.976)}) from a
 * service's log: "process running for" is the time from the JVM's launch to a started application context, which
 * for the stream-processor includes {@code KafkaStreams.start()} but not the group join, restore and first commit
 * that follow.
 */
public final class StartupLog {

    private static final Pattern STARTED =
            Pattern.compile("Started \\S+ in ([\\d.]+) seconds \\(process running for ([\\d.]+)\\)");

    private StartupLog() {}

    /** Seconds from JVM launch to "Started" of the last start-up in {@code log}, if it has one. */
    public static OptionalDouble processSeconds(String log) {
        Matcher m = STARTED.matcher(log);
        OptionalDouble last = OptionalDouble.empty();
        while (m.find()) {
            last = OptionalDouble.of(Double.parseDouble(m.group(2)));
        }
        return last;
    }
}
