package io.orderpipeline.query.view;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.orderpipeline.query.kafka.RecoveryProperties;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.shared.Backoff;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the read side's Kafka Streams application ({@link OrderViewTopology}). It starts after the web server, because
 * {@code application.server} must carry the port that was actually bound, and stops before it. Its configuration is
 * {@code spring.kafka.*} (through {@link KafkaClients}) plus the read side's own settings.
 *
 * <p>Deserialization: see {@link ReadAgainOnRegistryOutage} (skip unreadable records, read again what the registry
 * could not be asked about).
 *
 * <p>Recovery, without a restart of the service:
 *
 * <ul>
 *   <li>A stream thread that dies of an exception is replaced, after a pause that grows while threads keep dying
 *       ({@code orders.recovery.*}; back to the first pause after a minute without a death). Its tasks resume from
 *       their last committed offsets.
 *   <li>A stream thread that dies of an {@link Error} shuts the client down (its clients may be in an undefined
 *       state), and a client that reaches {@code ERROR} for any reason is replaced: closed, then, after a backoff, a
 *       new client is created and started with the same configuration and state directory (retrying with growing
 *       pauses until one starts). The service itself keeps running; queries answer 503 meanwhile.
 * </ul>
 */
@Component
public class OrderViewStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderViewStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration QUIET = Duration.ofMinutes(1);

    private final QueryProperties properties;
    private final KafkaClients clients;
    private final KafkaClientSupplier clientSupplier;
    private final AvroSerdes serdes;
    private final String stateTopic;
    private final String eventsTopic;
    private final InstanceAddress address;
    private final ObjectProvider<MeterRegistry> meterRegistry;
    private final AtomicReference<KafkaStreams> streams = new AtomicReference<>();
    private final Object lifecycle = new Object();
    private final Backoff clientBackoff;
    private final Backoff threadBackoff;
    private final AtomicLong replacedThreads = new AtomicLong();
    private final AtomicLong replacedClients = new AtomicLong();
    private final IndexReadiness indexReadiness = new IndexReadiness();
    private Long lastThreadDeath; // guarded by threadBackoff
    private KafkaStreamsMetrics metrics; // guarded by lifecycle
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private volatile boolean running;

    OrderViewStreams(
            QueryProperties properties,
            KafkaClients clients,
            ObjectProvider<KafkaClientSupplier> clientSupplier,
            AvroSerdes serdes,
            TopicSettings topics,
            InstanceAddress address,
            RecoveryProperties recovery,
            ObjectProvider<MeterRegistry> meterRegistry) {
        this.properties = properties;
        this.clients = clients;
        this.clientSupplier = clientSupplier.getIfAvailable();
        this.serdes = serdes;
        this.stateTopic = topics.state();
        this.eventsTopic = topics.events();
        this.address = address;
        this.clientBackoff = recovery.backoff();
        this.threadBackoff = recovery.backoff();
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

    /** Stream threads replaced after dying of an exception. */
    long replacedThreads() {
        return replacedThreads.get();
    }

    /** Clients replaced after reaching {@code ERROR}. */
    long replacedClients() {
        return replacedClients.get();
    }

    /** The topology, with serdes of its own (a closed client may have closed those of its predecessor). */
    Topology topology() {
        Topic<String, OrderState> topic = new Topic<>(stateTopic, Serdes.String(), serdes.valueSerde(OrderState.class));
        Topic<String, OrderEvent> events =
                new Topic<>(eventsTopic, Serdes.String(), serdes.valueSerde(OrderEvent.class));
        return OrderViewTopology.build(
                new OrderViewTopology.Settings(topic, properties.persistentStores(), indexReadiness, events));
    }

    /** Which partitions' listing indexes are built on this instance, across replaced clients. */
    IndexReadiness indexReadiness() {
        return indexReadiness;
    }

    Properties streamsConfig(HostInfo self) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(self));
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.streamThreads());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        config.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                ReadAgainOnRegistryOutage.class.getName());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class.getName());
        config.put(
                BoundedMemoryRocksDbConfig.TOTAL_BYTES_CONFIG,
                Long.toString(properties.rocksdbMemory().toBytes()));
        // no auto.offset.reset: the orders-by-id source of the topology resets to earliest on its own
        // orders.state is written in exactly-once transactions: never materialize a state the processor
        // later aborted. Applies to the main, restore and global consumers alike.
        config.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
                IsolationLevel.READ_COMMITTED.toString());
        config.putAll(properties.streams());
        return clients.streamsConfig(config);
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
        synchronized (lifecycle) {
            stopping = new CountDownLatch(1);
            running = true;
            launch();
        }
    }

    /** Creates and starts a client; the caller holds {@link #lifecycle}. */
    private void launch() {
        HostInfo self = address.self();
        Properties config = streamsConfig(self);
        KafkaStreams client = clientSupplier == null
                ? new KafkaStreams(topology(), config)
                : new KafkaStreams(topology(), config, clientSupplier);
        client.setUncaughtExceptionHandler(this::onStreamThreadDeath);
        client.setStateListener((next, previous) -> onStateChange(client, next, previous));
        MeterRegistry registry = meterRegistry.getIfAvailable();
        KafkaStreamsMetrics bound = null;
        if (registry != null) {
            bound = new KafkaStreamsMetrics(client);
            bound.bindTo(registry);
        }
        try {
            client.start();
        } catch (RuntimeException e) {
            if (bound != null) {
                bound.close();
            }
            client.close(CLOSE_TIMEOUT);
            throw e;
        }
        metrics = bound;
        streams.set(client);
        log.info(
                "Read-side Streams application '{}' started as {}:{}",
                properties.applicationId(),
                self.host(),
                self.port());
    }

    private StreamThreadExceptionResponse onStreamThreadDeath(Throwable failure) {
        if (isError(failure)) {
            log.error(
                    "A stream thread died of an Error; shutting the Kafka Streams client down to replace it", failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        Duration pause;
        synchronized (threadBackoff) {
            long now = System.nanoTime();
            if (lastThreadDeath != null && now - lastThreadDeath > QUIET.toNanos()) {
                threadBackoff.reset();
            }
            lastThreadDeath = now;
            pause = threadBackoff.next();
        }
        replacedThreads.incrementAndGet();
        log.error("A stream thread died; replacing it in {} ms", pause.toMillis(), failure);
        pause(stopping, pause);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static boolean isError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error) {
                return true;
            }
        }
        return false;
    }

    /** Called on Streams' threads: never blocks, never takes {@link #lifecycle}. */
    private void onStateChange(KafkaStreams client, KafkaStreams.State next, KafkaStreams.State previous) {
        log.info("Kafka Streams {} -> {}", previous, next);
        if (next == KafkaStreams.State.RUNNING) {
            synchronized (clientBackoff) {
                clientBackoff.reset();
            }
        } else if (next == KafkaStreams.State.ERROR) {
            Thread recovery = new Thread(() -> replace(client), "order-view-streams-recovery");
            recovery.setDaemon(true);
            recovery.start();
        }
    }

    /** Replaces a client that reached {@code ERROR} with a new one, retrying with backoff until one starts. */
    private void replace(KafkaStreams failed) {
        CountDownLatch stop = stopping;
        failed.close(CLOSE_TIMEOUT); // releases the state directory for its successor
        while (true) {
            Duration pause;
            synchronized (clientBackoff) {
                pause = clientBackoff.next();
            }
            log.error("The Kafka Streams client is in ERROR; starting a new client in {} ms", pause.toMillis());
            pause(stop, pause);
            synchronized (lifecycle) {
                if (!running || streams.get() != failed) {
                    return; // stopped (or restarted) meanwhile
                }
                closeMetrics();
                try {
                    launch();
                    replacedClients.incrementAndGet();
                    return;
                } catch (RuntimeException e) {
                    log.error("Cannot start a new Kafka Streams client", e);
                }
            }
        }
    }

    private void closeMetrics() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }

    private static void pause(CountDownLatch stop, Duration pause) {
        try {
            stop.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            running = false;
            stopping.countDown();
            KafkaStreams client = streams.getAndSet(null);
            if (client != null) {
                client.close(CLOSE_TIMEOUT);
            }
            closeMetrics();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (which starts at {@code DEFAULT_PHASE - 1024}), so that its port is known. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
