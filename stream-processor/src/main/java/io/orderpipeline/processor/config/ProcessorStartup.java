package io.orderpipeline.processor.config;

import io.orderpipeline.shared.RegistryProbe;
import io.orderpipeline.shared.RegistrySettings;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * What must hold before the Kafka Streams instance starts, in this order: the schema registry answers (a Streams app
 * whose first records meet an unreachable registry would dead-letter them), the processor's topics exist and are
 * usable and co-partitioned ({@link CoPartitioningCheck}), and the default instruments are on their topic ({@link
 * InstrumentSeeder}). Each step waits for what it needs, retrying until {@code orders.startup.timeout}, so the
 * processor may be started before Kafka and the registry; when a step gives up, start-up fails with a message naming
 * what it waited for, and the service exits.
 */
@Component
class ProcessorStartup implements SmartLifecycle {

    private final RegistryProbe registryProbe;
    private final RegistrySettings registry;
    private final CoPartitioningCheck topics;
    private final InstrumentSeeder instruments;
    private volatile boolean running;

    ProcessorStartup(
            RegistryProbe registryProbe,
            RegistrySettings registry,
            CoPartitioningCheck topics,
            InstrumentSeeder instruments) {
        this.registryProbe = registryProbe;
        this.registry = registry;
        this.topics = topics;
        this.instruments = instruments;
    }

    @Override
    public void start() {
        registryProbe.awaitUp(registry.url());
        topics.run();
        instruments.seed();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before {@link StreamsBuilderFactoryBean}'s phase. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
