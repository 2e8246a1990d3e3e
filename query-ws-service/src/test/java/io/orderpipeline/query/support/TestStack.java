package io.orderpipeline.query.support;

import io.orderpipeline.infra.ApicurioRegistryProcess;
import java.nio.file.Path;
import java.util.List;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real KRaft broker (in-JVM) and one real Apicurio Registry (child JVM) for the whole test JVM, started on first
 * use and stopped when the JVM exits. Test classes isolate themselves with their own topic names and application ids.
 */
public final class TestStack {

    private static EmbeddedKafkaKraftBroker broker;
    private static ApicurioRegistryProcess registry;

    private TestStack() {}

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 3);
            started.brokerProperty("group.initial.rebalance.delay.ms", "0");
            // one broker: the transaction log must fit it (tests write aborted transactions like a crashed processor)
            started.brokerProperty("transaction.state.log.replication.factor", "1");
            started.brokerProperty("transaction.state.log.min.isr", "1");
            started.brokerProperty("transaction.state.log.num.partitions", "4");
            started.afterPropertiesSet();
            broker = started;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "embedded-kafka-stop"));
        }
        return broker.getBrokersAsString();
    }

    public static synchronized String registryUrl() {
        if (registry == null) {
            registry = ApicurioRegistryProcess.start(0, Path.of("target", "apicurio-registry.log"), List.of());
            ApicurioRegistryProcess started = registry;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "apicurio-stop"));
        }
        return registry.registryApiUrl();
    }
}
