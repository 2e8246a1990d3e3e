package io.orderpipeline.ingest.support;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Real in-JVM KRaft brokers ({@link EmbeddedKafkaKraftBroker}). {@link #shared()} is one broker for the whole test
 * JVM; tests that stop their broker start their own with {@link #startNew()}.
 */
public final class TestBroker {

    private static EmbeddedKafkaKraftBroker shared;

    private TestBroker() {}

    /** Bootstrap servers of the JVM-wide broker. */
    public static synchronized String shared() {
        if (shared == null) {
            shared = startNew();
            EmbeddedKafkaKraftBroker started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "stop-test-broker"));
        }
        return shared.getBrokersAsString();
    }

    /** A new single-node broker; the caller destroys it. */
    public static EmbeddedKafkaKraftBroker startNew() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        // not spring.kafka.bootstrap-servers: several brokers may run in one JVM, each test says which it uses
        broker.brokerListProperty("ingest.test.kafka.brokers");
        broker.brokerProperty("auto.create.topics.enable", "false");
        // one node: the transaction coordinator's log must fit on it (ingest-api writes in transactions)
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.brokerProperty("transaction.state.log.num.partitions", "4");
        broker.afterPropertiesSet();
        return broker;
    }
}
