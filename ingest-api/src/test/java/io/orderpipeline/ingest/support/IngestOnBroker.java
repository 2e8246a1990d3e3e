package io.orderpipeline.ingest.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.schemas.avro.OrderCommand;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the {@code @SpringBootTest}s of ingest-api on the real infrastructure share: the JVM's broker, registry and
 * issuer ({@link TestBroker}, {@link TestRegistry}, {@link TestIssuer}), a {@code read_committed} reader of the class's
 * commands topic ({@code orders.topics.commands}), a trader-1 client of the instance once it is ready, and the checks
 * that read the topic back.
 */
public abstract class IngestOnBroker {

    /** Of the running test class; opened by its first test. */
    private static CommandTopicReader topic;

    @Value("${local.server.port}")
    protected int port;

    @Value("${orders.topics.commands}")
    private String commandsTopic;

    /** As trader-1 (acc-1, acc-2). */
    protected Http trader1;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestBroker::shared);
        registry.add("orders.registry.url", TestRegistry::url);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer::issuerUri);
    }

    @BeforeEach
    void ready() {
        if (topic == null) {
            topic = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), commandsTopic);
        }
        trader1 = new Http(port).as(TestIssuer.TRADER_1);
        trader1.awaitReady();
    }

    @AfterAll
    static void closeTopic() {
        if (topic != null) {
            topic.close();
            topic = null;
        }
    }

    protected static CommandTopicReader topic() {
        return topic;
    }

    /** Sends the requests, then a marker order of trader-1: it must be the only command written since. */
    protected List<HttpResponse<String>> assertNothingWritten(Supplier<List<HttpResponse<String>>> requests) {
        return topic.assertNothingWritten(requests, () -> {
            HttpResponse<String> marker = trader1.postJson("/orders", order("acc-1", "c-marker-" + UUID.randomUUID()));
            assertThat(marker.statusCode()).isEqualTo(202);
            return Http.json(marker).get("commandId").stringValue();
        });
    }

    /** A valid LIMIT order of {@code accountId}. */
    protected static String order(String accountId, String clientOrderId) {
        return Http.limitOrder(clientOrderId).replace("acc-1", accountId);
    }

    /** The order id of an accepted PLACE ({@code 202}, or {@code 200} for a replay). */
    protected static String placed(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
        return Http.json(response).get("orderId").stringValue();
    }

    /** The commands of {@code orderId} on the topic, in partition order. */
    protected static List<OrderCommand> commandsOf(String orderId) {
        return topic.commands().stream()
                .filter(c -> c.getOrderId().equals(orderId))
                .toList();
    }
}
