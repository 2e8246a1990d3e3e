package io.orderpipeline.localstack;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The end-to-end path on an in-JVM KRaft broker (spring-kafka-test), which needs no Docker: runs everywhere. */
class EmbeddedKraftEndToEndTest extends OrderPipelineEndToEnd {

    private EmbeddedKafkaKraftBroker broker;

    @Override
    protected String startKafka() {
        broker = new EmbeddedKafkaKraftBroker(1, 3);
        // exactly_once_v2 needs the transaction log, which defaults to 3 replicas
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        // as in the local stack and docker-compose: every topic must be declared by the service that owns it
        broker.brokerProperty("auto.create.topics.enable", "false");
        // not spring.kafka.bootstrap-servers, which would reach every app through system properties
        broker.brokerListProperty("local-stack.test.kafka.brokers");
        broker.afterPropertiesSet();
        return broker.getBrokersAsString();
    }

    @Override
    protected void stopKafka() {
        if (broker != null) {
            broker.destroy();
        }
    }
}
