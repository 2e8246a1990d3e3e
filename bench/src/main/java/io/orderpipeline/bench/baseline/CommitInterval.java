package io.orderpipeline.bench.baseline;

import io.orderpipeline.processor.topology.StreamsDefaults;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The {@code commit.interval.ms} the running stream-processor uses, so the pass-through baseline commits as often as
 * the processor does: {@code spring.kafka.streams.properties.commit.interval.ms} from its command line ({@code
 * --key=value} or {@code -Dkey=value}) or its environment (relaxed binding, {@code
 * SPRING_KAFKA_STREAMS_PROPERTIES_COMMIT_INTERVAL_MS}), else the processor's default.
 */
public final class CommitInterval {

    static final String PROPERTY = "spring.kafka.streams.properties.commit.interval.ms";
    static final String VARIABLE = "SPRING_KAFKA_STREAMS_PROPERTIES_COMMIT_INTERVAL_MS";

    private CommitInterval() {}

    /** The processor's commit interval in ms, read from its command line and environment (command line wins). */
    public static int of(List<String> commandLine, Map<String, String> environment) {
        return fromCommandLine(commandLine)
                .orElseGet(() -> parse(environment.get(VARIABLE)).orElse(StreamsDefaults.COMMIT_INTERVAL_MS));
    }

    private static OptionalInt fromCommandLine(List<String> commandLine) {
        OptionalInt found = OptionalInt.empty();
        for (String arg : commandLine) {
            for (String prefix : List.of("--" + PROPERTY + "=", "-D" + PROPERTY + "=")) {
                if (arg.startsWith(prefix)) {
                    OptionalInt value = parse(arg.substring(prefix.length()));
                    if (value.isPresent()) {
                        found = value; // the last one wins, as in Spring Boot
                    }
                }
            }
        }
        return found;
    }

    private static OptionalInt parse(String value) {
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
