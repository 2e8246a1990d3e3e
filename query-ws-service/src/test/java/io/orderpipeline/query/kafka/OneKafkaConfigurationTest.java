package io.orderpipeline.query.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.ClientConfigRecorder;
import io.orderpipeline.query.support.FakeStompBroker;
import io.orderpipeline.query.support.QueryInstance;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client of the read side is built from {@code spring.kafka.*} plus its own overrides: the settings each
 * client was really created with are recorded by a metrics reporter that is itself configured only through {@code
 * spring.kafka.properties.*}, so a client built from the bootstrap servers alone would not even be recorded.
 */
class OneKafkaConfigurationTest {

    private static final String APPLICATION_ID = "query-config-" + UUID.randomUUID();
    private static final String SAMPLE_WINDOW = "29999";

    private static FakeStompBroker broker;
    private static QueryInstance instance;

    @BeforeAll
    static void start() throws Exception {
        broker = new FakeStompBroker();
        instance = QueryInstance.start(
                "orders.state.config-" + UUID.randomUUID(),
                APPLICATION_ID,
                Files.createTempDirectory("query-config"),
                Map.of(
                        "spring.kafka.security.protocol", "PLAINTEXT",
                        "spring.kafka.ssl.protocol", "TLSv1.2",
                        "spring.kafka.properties.metric.reporters", ClientConfigRecorder.class.getName(),
                        "spring.kafka.properties.metrics.sample.window.ms", SAMPLE_WINDOW,
                        "orders.stomp.relay.enabled", "true",
                        "orders.stomp.relay.host", "127.0.0.1",
                        "orders.stomp.relay.port", Integer.toString(broker.port())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (instance != null) {
            instance.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldBuildEveryClientFromTheSpringKafkaPropertiesPlusItsOwnOverrides() {
        // given the clients of a running instance: topic provisioner, Streams app, change feed, push relay
        Map<String, Predicate<Map<String, Object>>> clients = new LinkedHashMap<>();
        clients.put("topic provisioner admin", c -> "topic-provisioner".equals(c.get("client.id")));
        clients.put("change feed consumer", c -> clientId(c).startsWith("order-query-feed-"));
        clients.put("push relay consumer", c -> (APPLICATION_ID + "-push-relay").equals(c.get("group.id")));
        clients.put("Streams main consumer", c -> isStreams(c) && clientId(c).endsWith("-StreamThread-1-consumer"));
        clients.put("Streams restore consumer", c -> isStreams(c) && clientId(c).endsWith("-restore-consumer"));
        clients.put("Streams producer", c -> isStreams(c) && clientId(c).endsWith("-StreamThread-1-producer"));
        clients.put("Streams admin", c -> isStreams(c) && clientId(c).endsWith("-admin"));

        // when each has been created
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(clients.keySet())
                        .allSatisfy(name ->
                                assertThat(find(clients.get(name))).as(name).isNotEmpty()));

        // then each carries spring.kafka.security.protocol, spring.kafka.ssl.* and spring.kafka.properties.*
        clients.forEach((name, which) -> assertThat(find(which)).as(name).allSatisfy(config -> {
            assertThat(String.valueOf(config.get("security.protocol"))).as(name).isEqualTo("PLAINTEXT");
            assertThat(String.valueOf(config.get("ssl.protocol"))).as(name).isEqualTo("TLSv1.2");
            assertThat(String.valueOf(config.get("metrics.sample.window.ms")))
                    .as(name)
                    .isEqualTo(SAMPLE_WINDOW);
        }));
        // and the components' own settings win
        for (String reader : List.of("change feed consumer", "push relay consumer", "Streams main consumer")) {
            assertThat(find(clients.get(reader)))
                    .as(reader)
                    .allSatisfy(config -> assertThat(String.valueOf(config.get("isolation.level")))
                            .isEqualTo("read_committed"));
        }
        assertThat(find(clients.get("change feed consumer")))
                .allSatisfy(config -> assertThat(String.valueOf(config.get("enable.auto.commit")))
                        .isEqualTo("false"));
        // the read-only orders-by-id source resets to earliest itself: Streams then resets per source topic and
        // gives its consumer "none", so an order state written before the first start is never skipped
        assertThat(find(clients.get("Streams main consumer")))
                .allSatisfy(config -> assertThat(String.valueOf(config.get("auto.offset.reset")))
                        .isEqualTo("none"));
    }

    private static List<Map<String, Object>> find(Predicate<Map<String, Object>> which) {
        return ClientConfigRecorder.configs().stream().filter(which).toList();
    }

    private static boolean isStreams(Map<String, Object> config) {
        return clientId(config).startsWith(APPLICATION_ID);
    }

    private static String clientId(Map<String, Object> config) {
        return String.valueOf(config.get("client.id"));
    }
}
