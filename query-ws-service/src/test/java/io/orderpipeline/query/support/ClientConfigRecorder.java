package io.orderpipeline.query.support;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * A Kafka {@link MetricsReporter} that records the configuration each client hands it: every producer, consumer,
 * admin and Streams client given {@code metric.reporters=<this class>} calls {@link #configure} with the settings it
 * was created with. It shows what a client really got, whoever built it.
 */
public final class ClientConfigRecorder implements MetricsReporter {

    private static final List<Map<String, Object>> CONFIGS = new CopyOnWriteArrayList<>();

    /** The configurations recorded so far, in creation order. */
    public static List<Map<String, Object>> configs() {
        return List.copyOf(CONFIGS);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        CONFIGS.add(Collections.unmodifiableMap(new HashMap<>(configs))); // values may be null
    }

    @Override
    public void init(List<KafkaMetric> metrics) {}

    @Override
    public void metricChange(KafkaMetric metric) {}

    @Override
    public void metricRemoval(KafkaMetric metric) {}

    @Override
    public void close() {}
}
