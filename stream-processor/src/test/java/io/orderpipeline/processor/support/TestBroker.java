package io.orderpipeline.processor.support;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One real in-JVM KRaft broker ({@link EmbeddedKafkaKraftBroker}) per test JVM, configured for transactions. */
public final class TestBroker {

    private static EmbeddedKafkaKraftBroker shared;

    private TestBroker() {}

    /** Bootstrap servers of the JVM-wide broker. */
    public static synchronized String bootstrapServers() {
        if (shared == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
            // not spring.kafka.bootstrap-servers: each test says which broker it uses
            broker.brokerListProperty("processor.test.kafka.brokers");
            broker.brokerProperty("auto.create.topics.enable", "false");
            // exactly_once_v2 needs the transaction log, which defaults to 3 replicas
            broker.brokerProperty("transaction.state.log.replication.factor", "1");
            broker.brokerProperty("transaction.state.log.min.isr", "1");
            broker.afterPropertiesSet();
            shared = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "stop-test-broker"));
        }
        return shared.getBrokersAsString();
    }
}
