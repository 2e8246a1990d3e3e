package io.orderpipeline.query.kafka;

import io.orderpipeline.shared.RegistryProbe;
import io.orderpipeline.shared.RegistrySettings;
import io.orderpipeline.shared.TopicProvisioner;
import io.orderpipeline.shared.TopicSettings;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs before anything of the read side reads ({@value #PHASE}: after the web server, so that health answers while
 * it waits, and before the Streams application and the change feed at {@code DEFAULT_PHASE - 512}).
 *
 * <ol>
 *   <li>Declares {@code orders.state} (compacted, {@code orders.topics.partitions} partitions, the same declaration
 *       the stream-processor makes) and {@code orders.events} (the history store's source, declared as the
 *       processor declares it) so that the read side can start before the processor, and waits until every
 *       partition has a leader.
 *   <li>Waits until the schema registry answers: the first record of each schema id needs it, and a record read
 *       while it is down would otherwise have to be retried (see {@link RegistryOutage}).
 * </ol>
 *
 * Both retry until {@code orders.startup.timeout}; then the start fails with a message naming what it waited for.
 */
@Component
class ReadSideStartup implements SmartLifecycle {

    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 768;

    private static final Logger log = LoggerFactory.getLogger(ReadSideStartup.class);

    private final TopicProvisioner provisioner;
    private final RegistryProbe registry;
    private final TopicSettings topics;
    private final RegistrySettings registrySettings;
    private volatile boolean running;

    ReadSideStartup(
            TopicProvisioner provisioner,
            RegistryProbe registry,
            TopicSettings topics,
            RegistrySettings registrySettings) {
        this.provisioner = provisioner;
        this.registry = registry;
        this.topics = topics;
        this.registrySettings = registrySettings;
    }

    /** {@code orders.state} as every service declares it. */
    NewTopic stateTopic() {
        return topics.compacted(topics.state());
    }

    /** {@code orders.events} as the stream-processor declares it. */
    NewTopic eventsTopic() {
        return topics.topic(topics.events());
    }

    @Override
    public void start() {
        provisioner.ensure(List.of(stateTopic(), eventsTopic()));
        registry.awaitUp(registrySettings.url());
        log.info("{} is usable and the schema registry answers", topics.state());
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

    @Override
    public int getPhase() {
        return PHASE;
    }
}
