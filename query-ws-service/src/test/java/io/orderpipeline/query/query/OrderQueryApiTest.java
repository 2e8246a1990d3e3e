package io.orderpipeline.query.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OrderQueryApiTest {

    private static final String TOPIC = "orders.state.api-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static QueryInstance instance;
    private static Orders orders;

    @BeforeAll
    static void start() throws Exception {
        Path stateDir = Files.createTempDirectory("query-api");
        instance = QueryInstance.start(TOPIC, "query-api-" + UUID.randomUUID(), stateDir, Map.of());
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
    }

    @AfterAll
    static void stop() {
        if (orders != null) {
            orders.close();
        }
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void shouldServeTheLatestStateOfAnOrderById() {
        // given
        String orderId = UUID.randomUUID().toString();
        Instant created = Instant.parse("2026-01-02T03:04:05.678Z");

        // when
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PENDING, 1, created));
        orders.send(Orders.state(orderId, "AAPL", OrderStatus.PLACED, 2, created));

        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> response = instance.get("/orders/" + orderId);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("status").asString()).isEqualTo("PLACED");
            assertThat(body.get("version").asLong()).isEqualTo(2);
        });
        JsonNode body = JSON.readTree(instance.get("/orders/" + orderId).body());
        assertThat(body.get("orderId").asString()).isEqualTo(orderId);
        assertThat(body.get("price").asString()).isEqualTo("187.25");
        assertThat(body.get("createdAt").asString()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(body.get("symbol").asString()).isEqualTo("AAPL");
        assertThat(body.get("side").asString()).isEqualTo("BUY");
        assertThat(body.get("reasons").isArray()).isTrue();
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownOrder() {
        // given the store is up
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + UUID.randomUUID()).statusCode() == 404);

        // when
        HttpResponse<String> response = instance.get("/orders/does-not-exist");

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(404);
    }
}
