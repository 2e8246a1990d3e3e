package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end path on an in-JVM KRaft broker whose only client listener is {@code SASL_PLAINTEXT} (mechanism
 * PLAIN) with an authorizer that denies everyone but its super user. The services get the security protocol and the
 * credentials only as {@code spring.kafka.*} properties: every producer, consumer, admin and Streams client of every
 * service must be built from Spring Boot's Kafka properties for the orders to flow (a client built from the bootstrap
 * servers alone would speak PLAINTEXT to a SASL listener and never connect).
 */
class SaslBrokerEndToEndTest extends OrderPipelineEndToEnd {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"" + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD
            + "\";";

    private KafkaClusterTestKit cluster;

    @Override
    protected String startKafka() {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .build();
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    // the test kit's controller listener is PLAINTEXT (its principal ANONYMOUS) and its authorizer
                    // admits only super users; the client listener stays SASL-only
                    .setConfigProp("super.users", "User:" + JaasUtils.KAFKA_PLAIN_ADMIN + ";User:ANONYMOUS")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the SASL broker", e);
        }
    }

    @Override
    protected List<String> kafkaClientSettings() {
        return List.of(
                "spring.kafka.security.protocol=SASL_PLAINTEXT",
                "spring.kafka.properties.sasl.mechanism=PLAIN",
                "spring.kafka.properties.sasl.jaas.config=" + JAAS);
    }

    @Override
    protected void stopKafka() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the SASL broker", e);
            }
        }
    }

    @Test
    void shouldRefuseAClientWithoutTheCredentials() {
        // given the broker the services use, and a client configured with its address alone
        try (Admin anonymous = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {

            // when it asks for the topics, then it gets no answer: the listener only speaks SASL
            assertThatThrownBy(() -> anonymous
                            .listTopics(new ListTopicsOptions().timeoutMs(3_000))
                            .names()
                            .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }

        // and the same request with the services' settings sees the pipeline's topics
        try (Admin authenticated = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                JAAS))) {
            assertThat(authenticated.listTopics().names())
                    .succeedsWithin(java.time.Duration.ofSeconds(10))
                    .satisfies(names -> assertThat(names).contains("orders.commands", "orders.state"));
        }
    }
}
