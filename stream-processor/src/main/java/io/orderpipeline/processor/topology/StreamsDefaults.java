package io.orderpipeline.processor.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The Kafka Streams settings the order topology's guarantees rely on, in one place for the application, tests and
 * benchmarks.
 */
public final class StreamsDefaults {

    /** Default topic of records no input could read or process (raw bytes plus Kafka Streams' error headers). */
    public static final String DEFAULT_DEAD_LETTER_QUEUE_TOPIC = "orders.dlq";

    /** Default {@code commit.interval.ms}: how long a hop's output may wait for its transaction to commit. */
    public static final int COMMIT_INTERVAL_MS = 50;

    /** Default {@code session.timeout.ms} of the processor's consumers: how long a crashed instance holds its work. */
    public static final int SESSION_TIMEOUT_MS = 10_000;

    private StreamsDefaults() {}

    /**
     * {@code exactly_once_v2}; poison records (undeserializable, or whose processing throws) go to {@code
     * deadLetterQueueTopic} and processing continues; internal topics get {@code replicationFactor}.
     */
    public static Map<String, Object> config(String deadLetterQueueTopic, int replicationFactor) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterQueueTopic);
        config.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        config.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        // Each order crosses three exactly-once hops (commands, account requests, account decisions), and a hop's
        // output is visible downstream only once its transaction commits: the EOS default of 100 ms per hop was most
        // of the end-to-end latency. 50 ms halves it for a few more transactions per second.
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        // A processor that died (SIGKILL, lost host) holds its partitions until its session expires: 10 s rather than
        // the default 45 s bounds how long orders wait after a crash. Heartbeats stay at 3 s.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        return config;
    }
}
