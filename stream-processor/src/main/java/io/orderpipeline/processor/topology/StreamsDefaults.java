package io.orderpipeline.processor.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The Kafka Streams settings the order topology's guarantees rely on, in one place for the application, tests and
 * benchmarks.
 */
public final class StreamsDefaults {

    /** Default topic of records no input could read or process (raw bytes plus Kafka Streams' error headers). */
    public static final String DEFAULT_DEAD_LETTER_QUEUE_TOPIC = "orders.dlq";

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
        return config;
    }
}
