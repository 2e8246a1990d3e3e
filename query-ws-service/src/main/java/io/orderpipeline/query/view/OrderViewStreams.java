package io.orderpipeline.query.view;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.orderpipeline.schemas.OrderTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the read side's Kafka Streams application ({@link OrderViewTopology}). It starts after the web server, because
 * {@code application.server} must carry the port that was actually bound, and stops before it.
 *
 * <p>Deserialization errors are logged and skipped: the read side never owns a dead-letter topic (the stream-processor
 * does). A dying stream thread is replaced.
 */
@Component
public class OrderViewStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderViewStreams.class);

    private final QueryProperties properties;
    private final KafkaProperties kafka;
    private final OrderTopics topics;
    private final InstanceAddress address;
    private final ObjectProvider<MeterRegistry> meterRegistry;
    private final AtomicReference<KafkaStreams> streams = new AtomicReference<>();
    private volatile KafkaStreamsMetrics metrics;

    OrderViewStreams(
            QueryProperties properties,
            KafkaProperties kafka,
            OrderTopics topics,
            InstanceAddress address,
            ObjectProvider<MeterRegistry> meterRegistry) {
        this.properties = properties;
        this.kafka = kafka;
        this.topics = topics;
        this.address = address;
        this.meterRegistry = meterRegistry;
    }

    /** The running Streams client; throws while stopped. */
    public KafkaStreams streams() {
        KafkaStreams current = streams.get();
        if (current == null) {
            throw new IllegalStateException("Kafka Streams is not running");
        }
        return current;
    }

    /** The Streams client if started, else {@code null}. */
    public KafkaStreams streamsOrNull() {
        return streams.get();
    }

    public Topology topology() {
        return OrderViewTopology.build(
                        new StreamsBuilder(),
                        new OrderViewTopology.Settings(topics.state(), properties.persistentStores()))
                .build();
    }

    Properties streamsConfig(HostInfo self) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(self));
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        config.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class.getName());
        config.put(
                BoundedMemoryRocksDbConfig.TOTAL_BYTES_CONFIG,
                Long.toString(properties.rocksdbMemory().toBytes()));
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // orders.state is written in exactly-once transactions: never materialize a state the processor
        // later aborted. Applies to the main, restore and global consumers alike.
        config.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                IsolationLevel.READ_COMMITTED.toString());
        config.putAll(properties.streams());
        return config;
    }

    private String stateDir(HostInfo self) {
        if (!properties.stateDir().isBlank()) {
            return properties.stateDir();
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "order-pipeline", "query-ws-service-" + self.port())
                .toString();
    }

    @Override
    public void start() {
        HostInfo self = address.self();
        KafkaStreams client = new KafkaStreams(topology(), streamsConfig(self));
        client.setUncaughtExceptionHandler(exception -> {
            log.error("Stream thread died; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        client.setStateListener((next, previous) -> log.info("Kafka Streams {} -> {}", previous, next));
        MeterRegistry registry = meterRegistry.getIfAvailable();
        if (registry != null) {
            metrics = new KafkaStreamsMetrics(client);
            metrics.bindTo(registry);
        }
        client.start();
        streams.set(client);
        log.info(
                "Read-side Streams application '{}' started as {}:{}",
                properties.applicationId(),
                self.host(),
                self.port());
    }

    @Override
    public void stop() {
        KafkaStreams client = streams.getAndSet(null);
        if (client != null) {
            client.close(Duration.ofSeconds(15));
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return streams.get() != null;
    }

    /** After the web server (which starts at {@code DEFAULT_PHASE - 1024}), so that its port is known. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
