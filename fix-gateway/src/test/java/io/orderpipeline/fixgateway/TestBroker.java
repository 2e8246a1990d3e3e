package io.orderpipeline.fixgateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One real in-JVM KRaft broker ({@link EmbeddedKafkaKraftBroker}) per test JVM. */
final class TestBroker {

    private static EmbeddedKafkaKraftBroker shared;

    private TestBroker() {}

    static synchronized String bootstrapServers() {
        if (shared == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
            broker.brokerListProperty("fixgateway.test.kafka.brokers");
            broker.brokerProperty("auto.create.topics.enable", "false");
            broker.brokerProperty("transaction.state.log.replication.factor", "1");
            broker.brokerProperty("transaction.state.log.min.isr", "1");
            broker.afterPropertiesSet();
            shared = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "stop-test-broker"));
        }
        return shared.getBrokersAsString();
    }

    /** Creates a topic with 3 partitions, as orders.executions has in the embedded run. */
    static void createTopic(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
