package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole pipeline end to end, on the real path a user's request takes: HTTP {@code POST /orders} on ingest-api →
 * Kafka → the stream-processor's topology and state store → {@code orders.state} → query-ws-service's store → HTTP
 * {@code GET /orders/{id}}, and the STOMP push of every state on {@code /topic/orders}. The three services run as they
 * ship (their own configuration files and default topics) in this JVM, against a real Apicurio Registry and a real
 * broker that each subclass provides, so the same assertions hold on every kind of broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OrderPipelineEndToEnd {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String account = "acc-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger clientOrderIds = new AtomicInteger();
    private PipelineApps apps;

    /** Starts a real Kafka broker for this class and returns its bootstrap servers. */
    protected abstract String startKafka();

    /** Stops the broker, after the services have stopped. */
    protected abstract void stopKafka();

    /**
     * Kafka client settings every service gets, as {@code spring.kafka.*} command-line properties (for example the
     * security protocol and SASL credentials of a secured broker); none by default.
     */
    protected List<String> kafkaClientSettings() {
        return List.of();
    }

    @BeforeAll
    void startPipeline(@TempDir Path stateDir) {
        String bootstrapServers = startKafka();
        apps = PipelineApps.start(bootstrapServers, SharedRegistry.url(), stateDir, kafkaClientSettings());
    }

    @AfterAll
    void stopPipeline() {
        try {
            if (apps != null) {
                apps.close();
            }
        } finally {
            stopKafka();
        }
    }

    @Test
    void shouldPlaceAPostedOrderAndShowItsStatesOnGetAndOverStomp() throws Exception {
        // given a subscriber to every order change, known to be live because it has received a first order
        try (StompRecorder stomp = StompRecorder.subscribe(webSocketUrl(), "/topic/orders", TIMEOUT)) {
            awaitLive(stomp);

            // when an order is posted
            HttpResponse<String> response = post(limitOrder("AAPL", "100", "\"187.25\""));

            // then it is accepted as PENDING, with its location
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            JsonNode accepted = JSON.readTree(response.body());
            String orderId = accepted.path("orderId").asString();
            assertThat(orderId).isNotBlank();
            assertThat(accepted.path("status").asString()).isEqualTo("PENDING");
            assertThat(response.headers().firstValue("Location"))
                    .hasValueSatisfying(location -> assertThat(location).endsWith("/orders/" + orderId));

            // and GET on the query service reaches PLACED, with the fields as posted
            JsonNode placed = await().atMost(TIMEOUT)
                    .until(
                            () -> getOrder(orderId),
                            state -> state.isPresent()
                                    && state.get().path("status").asString().equals("PLACED"))
                    .orElseThrow();
            assertThat(placed.path("accountId").asString()).isEqualTo(account);
            assertThat(placed.path("symbol").asString()).isEqualTo("AAPL");
            assertThat(placed.path("side").asString()).isEqualTo("BUY");
            assertThat(placed.path("orderType").asString()).isEqualTo("LIMIT");
            assertThat(placed.path("quantity").asLong()).isEqualTo(100);
            assertThat(placed.path("price").asString()).isEqualTo("187.25");
            assertThat(placed.path("exchangeOrderId").asString(null)).isNotBlank();
            long finalVersion = placed.path("version").asLong();
            assertThat(finalVersion).isGreaterThanOrEqualTo(2);

            // and the subscriber received every state of it in order: versions 1, 2, … from PENDING to PLACED
            await().atMost(TIMEOUT)
                    .until(() -> stomp.messagesFor(orderId).stream()
                            .anyMatch(message -> message.path("version").asLong() == finalVersion));
            List<JsonNode> pushed = stomp.messagesFor(orderId);
            assertThat(pushed)
                    .extracting(message -> message.path("version").asLong())
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, finalVersion).boxed().toList());
            assertThat(pushed.get(0).path("status").asString()).isEqualTo("PENDING");
            assertThat(pushed.get(pushed.size() - 1).path("status").asString()).isEqualTo("PLACED");
            assertThat(stomp.errors()).isEmpty();
        }
    }

    @Test
    void shouldRejectAnOrderForAnUnknownSymbolWithItsReason() throws Exception {
        // given an instrument that the pipeline does not list
        String body = limitOrder("NOSUCH", "10", "\"1.00\"");

        // when it is posted
        HttpResponse<String> response = post(body);

        // then ingest-api accepts the well-formed command, and the topology rejects it with a machine-readable reason
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String orderId = JSON.readTree(response.body()).path("orderId").asString();
        JsonNode rejected = await().atMost(TIMEOUT)
                .until(
                        () -> getOrder(orderId),
                        state -> state.isPresent()
                                && state.get().path("status").asString().equals("REJECTED"))
                .orElseThrow();
        assertThat(rejected.path("reasons").values())
                .extracting(JsonNode::asString)
                .contains("UNKNOWN_SYMBOL");
    }

    /**
     * Spring's simple broker confirms no SUBSCRIBE, so post orders until one of them is pushed to the subscriber:
     * from then on it receives everything.
     */
    private void awaitLive(StompRecorder stomp) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            if (!stomp.messages().isEmpty()) {
                return true;
            }
            HttpResponse<String> probe = post(limitOrder("MSFT", "1", "\"400.00\""));
            assertThat(probe.statusCode()).as(probe.body()).isEqualTo(202);
            return false;
        });
    }

    private String limitOrder(String symbol, String quantity, String price) {
        return """
                {"accountId":"%s","clientOrderId":"c-%d","symbol":"%s","side":"BUY","orderType":"LIMIT",\
                "quantity":%s,"price":%s}""".formatted(account, clientOrderIds.incrementAndGet(), symbol, quantity, price);
    }

    private HttpResponse<String> post(String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(apps.ingestUrl() + "/orders"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The order's state from query-ws-service, or empty while it answers 404. */
    private Optional<JsonNode> getOrder(String orderId) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(apps.queryUrl() + "/orders/" + orderId))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Optional.of(JSON.readTree(response.body()));
    }

    private String webSocketUrl() {
        return apps.queryUrl().replaceFirst("^http", "ws") + "/ws";
    }
}
