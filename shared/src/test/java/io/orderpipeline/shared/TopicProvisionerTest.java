package io.orderpipeline.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The start-up race on a real in-JVM KRaft broker: topics are created and used at once, in a tight loop, the way a
 * service's start-up creates its topics and then describes them (the co-partitioning check) or writes to them
 * (instrument seeding). A describe straight after a create may meet a broker whose metadata cache does not have the
 * topic yet; {@link TopicProvisioner} must hide that window, every time.
 */
class TopicProvisionerTest {

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.brokerListProperty("shared.test.kafka.brokers");
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void shouldReturnUsableTopicsRightAfterCreatingThemEveryTime() {
        // given a provisioner built from Spring Boot's Kafka properties
        KafkaClients clients = new KafkaClients(kafkaProperties());
        TopicProvisioner provisioner =
                new TopicProvisioner(clients, new StartupWait(Duration.ofSeconds(30), Duration.ofMillis(200)));

        try (Admin admin = clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "race-test"))) {
            for (int round = 0; round < 25; round++) {
                // when fresh topics are created and described at once, as a start-up does
                List<NewTopic> topics = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    topics.add(new NewTopic("race-" + round + "-" + i, 3, (short) 1));
                }
                Map<String, TopicDescription> described = provisioner.ensure(admin, topics);

                // then every topic is described with all its partitions led
                assertThat(described).hasSize(4);
                described.values().forEach(description -> {
                    assertThat(description.partitions()).hasSize(3);
                    assertThat(description.partitions())
                            .allSatisfy(p -> assertThat(p.leader()).isNotNull());
                });
            }
        }
    }

    @Test
    void shouldLeaveAnExistingTopicAsItIs() {
        // given a topic that exists with 2 partitions
        KafkaClients clients = new KafkaClients(kafkaProperties());
        TopicProvisioner provisioner =
                new TopicProvisioner(clients, new StartupWait(Duration.ofSeconds(30), Duration.ofMillis(200)));
        provisioner.ensure(List.of(new NewTopic("existing", 2, (short) 1)));

        // when it is declared again with 3
        Map<String, TopicDescription> described = provisioner.ensure(List.of(new NewTopic("existing", 3, (short) 1)));

        // then it keeps its 2 partitions (keys never move between partitions)
        assertThat(described.get("existing").partitions()).hasSize(2);
    }

    private static KafkaProperties kafkaProperties() {
        KafkaProperties properties = new KafkaProperties();
        properties.setBootstrapServers(List.of(broker.getBrokersAsString().split(",")));
        Map<String, String> extra = new HashMap<>();
        extra.put("client.dns.lookup", "use_all_dns_ips");
        properties.getProperties().putAll(extra);
        return properties;
    }
}
