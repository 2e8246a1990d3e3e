package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.localstack.Tokens.Client;
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
 * {@code GET /orders/{id}}, and the STOMP push of every state of the account on {@code /topic/accounts.{accountId}}.
 * The three services run as they ship (their own configuration files and default topics) in this JVM, against a real
 * Apicurio Registry, a real broker that each subclass provides, and the real token issuer: every request carries a
 * token of a demo client fetched from it (trader-1 for acc-1 unless a test says otherwise), so the same assertions
 * hold on every kind of broker with authentication on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OrderPipelineEndToEnd {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** trader-1's first account. */
    private static final String ACCOUNT = "acc-1";
    /** trader-2's account. */
    private static final String OTHER_ACCOUNT = "acc-3";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
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
        // given trader-1 subscribed to every order change of its account, known to be live because it has received
        // a first order
        try (StompRecorder stomp = StompRecorder.subscribe(
                webSocketUrl(), "/topic/accounts." + ACCOUNT, TIMEOUT, bearer(Client.TRADER_1))) {
            awaitLive(stomp);

            // when trader-1 posts an order
            HttpResponse<String> response = post(Client.TRADER_1, limitOrder(ACCOUNT, "AAPL", "100", "\"187.25\""));

            // then it is accepted as PENDING, with its location
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            JsonNode accepted = JSON.readTree(response.body());
            String orderId = accepted.path("orderId").asString();
            assertThat(orderId).isNotBlank();
            assertThat(accepted.path("status").asString()).isEqualTo("PENDING");
            assertThat(response.headers().firstValue("Location"))
                    .hasValueSatisfying(location -> assertThat(location).endsWith("/orders/" + orderId));

            // and GET on the query service reaches PLACED, with the fields as posted
            JsonNode placed = awaitStatus(Client.TRADER_1, orderId, "PLACED");
            assertThat(placed.path("accountId").asString()).isEqualTo(ACCOUNT);
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
        String body = limitOrder(ACCOUNT, "NOSUCH", "10", "\"1.00\"");

        // when it is posted
        HttpResponse<String> response = post(Client.TRADER_1, body);

        // then ingest-api accepts the well-formed command, and the topology rejects it with a machine-readable reason
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String orderId = JSON.readTree(response.body()).path("orderId").asString();
        JsonNode rejected = awaitStatus(Client.TRADER_1, orderId, "REJECTED");
        assertThat(rejected.path("reasons").values())
                .extracting(JsonNode::asString)
                .contains("UNKNOWN_SYMBOL");
    }

    /**
     * The "done means", on the running pipeline with tokens from its issuer: a principal acts for and sees only
     * the accounts of its token, another principal cannot tell that the order exists, and {@code orders:admin} sees
     * everything.
     */
    @Test
    void shouldLetAPrincipalActForAndSeeOnlyItsAccountsWhileOpsSeesEverything() throws Exception {
        // given an order trader-1 placed for its account acc-1
        HttpResponse<String> placedForOwn = post(Client.TRADER_1, limitOrder(ACCOUNT, "AAPL", "5", "\"187.25\""));
        assertThat(placedForOwn.statusCode()).as(placedForOwn.body()).isEqualTo(202);
        String orderId = JSON.readTree(placedForOwn.body()).path("orderId").asString();

        // when trader-1 posts for acc-3, an account not in its token, or anyone posts without a token
        HttpResponse<String> placedForOther =
                post(Client.TRADER_1, limitOrder(OTHER_ACCOUNT, "AAPL", "5", "\"187.25\""));
        HttpResponse<String> anonymous = post(null, limitOrder(ACCOUNT, "AAPL", "5", "\"187.25\""));

        // then 403 and 401 (with WWW-Authenticate), both problem+json
        assertThat(placedForOther.statusCode()).as(placedForOther.body()).isEqualTo(403);
        assertThat(placedForOther.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));

        // and ops reads the order once it is placed, as does its owner
        JsonNode seenByOps = awaitStatus(Client.OPS, orderId, "PLACED");
        assertThat(seenByOps.path("accountId").asString()).isEqualTo(ACCOUNT);
        assertThat(getOrder(Client.TRADER_1, orderId)).isPresent();

        // and trader-2 gets 404 for it, exactly as for an id that does not exist, and does not find it in its list
        HttpResponse<String> readByOther = get(Client.TRADER_2, "/orders/" + orderId);
        HttpResponse<String> unknown = get(Client.TRADER_2, "/orders/" + UUID.randomUUID());
        assertThat(readByOther.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(readByOther.body()).path("title").asString())
                .isEqualTo(JSON.readTree(unknown.body()).path("title").asString());
        HttpResponse<String> listedByOther = get(Client.TRADER_2, "/orders?limit=500");
        assertThat(listedByOther.statusCode()).as(listedByOther.body()).isEqualTo(200);
        assertThat(JSON.readTree(listedByOther.body()).path("items").values())
                .noneMatch(item -> item.path("orderId").asString().equals(orderId))
                .allSatisfy(
                        item -> assertThat(item.path("accountId").asString()).isEqualTo(OTHER_ACCOUNT));

        // and trader-2's SUBSCRIBE to the order's topic gets an ERROR frame and nothing of the order
        try (StompRecorder other =
                StompRecorder.subscribe(webSocketUrl(), "/topic/orders." + orderId, TIMEOUT, bearer(Client.TRADER_2))) {
            await().atMost(TIMEOUT).until(() -> !other.errorFrames().isEmpty());
            await().atMost(TIMEOUT).until(() -> !other.connected());
            assertThat(other.messages()).isEmpty();
        }

        // and ops's SUBSCRIBE to it gets the snapshot: the order as placed
        try (StompRecorder ops =
                StompRecorder.subscribe(webSocketUrl(), "/topic/orders." + orderId, TIMEOUT, bearer(Client.OPS))) {
            await().atMost(TIMEOUT)
                    .until(() -> ops.messagesFor(orderId).stream()
                            .anyMatch(state -> state.path("status").asString().equals("PLACED")));
            assertThat(ops.errorFrames()).isEmpty();
        }

        // and a STOMP CONNECT without a token is refused
        assertThatThrownBy(() -> StompRecorder.subscribe(webSocketUrl(), "/topic/orders", TIMEOUT, null)
                        .close())
                .isInstanceOf(Exception.class);
    }

    /**
     * Issue 13's "done means": a market order goes PENDING → PLACED → (PARTIALLY_FILLED →) FILLED at the real venue
     * over FIX, every fill the venue reported is in the state (sum of fills = filledQuantity = quantity), and every
     * report reached the subscriber as a delta with the next version.
     */
    @Test
    void shouldFillAMarketOrderAtTheVenueAndShowEveryFillOnGetAndOverStomp() throws Exception {
        // given trader-1 subscribed to its account
        try (StompRecorder stomp = StompRecorder.subscribe(
                webSocketUrl(), "/topic/accounts." + ACCOUNT, TIMEOUT, bearer(Client.TRADER_1))) {
            awaitLive(stomp);

            // when it posts a market order for AAPL
            HttpResponse<String> response = post(Client.TRADER_1, marketOrder(ACCOUNT, "AAPL", 100));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String orderId = JSON.readTree(response.body()).path("orderId").asString();

            // then GET reaches FILLED with the venue's fills
            JsonNode filled = awaitStatus(Client.TRADER_1, orderId, "FILLED");
            List<JsonNode> fills = filled.path("fills").values().stream().toList();
            assertThat(fills).isNotEmpty();
            assertThat(fills.stream()
                            .mapToLong(fill -> fill.path("quantity").asLong())
                            .sum())
                    .isEqualTo(100);
            assertThat(fills)
                    .extracting(fill -> fill.path("executionId").asString())
                    .doesNotHaveDuplicates();
            assertThat(filled.path("filledQuantity").asLong()).isEqualTo(100);
            assertThat(filled.path("leavesQuantity").asLong()).isZero();
            assertThat(new java.math.BigDecimal(filled.path("averagePrice").asString()))
                    .isPositive();
            assertThat(filled.path("exchangeOrderId").asString(null)).isNotBlank();

            // and the venue holds exactly one order for that ClOrdID, filled as the state says
            assertThat(apps.venue().orders())
                    .filteredOn(order -> order.clOrdId().equals(orderId))
                    .singleElement()
                    .satisfies(order -> assertThat(order.cumQty()).isEqualTo(100));

            // and the subscriber saw every version from PENDING to FILLED, PLACED among them
            long finalVersion = filled.path("version").asLong();
            await().atMost(TIMEOUT)
                    .until(() -> stomp.messagesFor(orderId).stream()
                            .anyMatch(message -> message.path("version").asLong() == finalVersion));
            List<JsonNode> pushed = stomp.messagesFor(orderId);
            assertThat(pushed)
                    .extracting(message -> message.path("version").asLong())
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, finalVersion).boxed().toList());
            assertThat(pushed)
                    .extracting(message -> message.path("status").asString())
                    .startsWith("PENDING", "PLACED")
                    .endsWith("FILLED");
            assertThat(stomp.errors()).isEmpty();
        }
    }

    /** A limit order far from the market rests at the venue, is amended there (cancel/replace) and cancelled. */
    @Test
    void shouldAmendAndCancelARestingLimitOrderAtTheVenue() throws Exception {
        // given a BUY limit about 8 % below AAPL's market (inside the price band, far from a fill)
        HttpResponse<String> response = post(Client.TRADER_1, limitOrder(ACCOUNT, "AAPL", "10", "\"175.00\""));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String orderId = JSON.readTree(response.body()).path("orderId").asString();
        awaitStatus(orderId, "PLACED");

        // when trader-1 amends quantity and price
        HttpResponse<String> amend = send(Client.TRADER_1, "PATCH", "/orders/" + orderId, """
                {"quantity":20,"price":"176.00"}""");

        // then the venue replaced it and the state shows the new terms
        assertThat(amend.statusCode()).as(amend.body()).isEqualTo(202);
        JsonNode amended = await().atMost(TIMEOUT)
                .until(
                        () -> getOrder(Client.TRADER_1, orderId),
                        state -> state.isPresent()
                                && state.get().path("quantity").asLong() == 20
                                && state.get().path("pendingRequest").isNull())
                .orElseThrow();
        assertThat(amended.path("status").asString()).isEqualTo("PLACED");
        assertThat(new java.math.BigDecimal(amended.path("price").asString())).isEqualByComparingTo("176.00");

        // and when it cancels, the venue's confirmation ends the order CANCELLED
        HttpResponse<String> cancel = send(Client.TRADER_1, "POST", "/orders/" + orderId + "/cancel", "");
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        JsonNode cancelled = awaitStatus(orderId, "CANCELLED");
        assertThat(cancelled.path("filledQuantity").asLong()).isZero();
    }

    /**
     * With the venue failing every new order (admin API, failure rate 1.0) an order is retried with backoff and ends
     * FAILED; once the venue is healed a new order fills.
     */
    @Test
    void shouldRetryAndFailWhileTheVenueFailsAndFillOnceItIsHealed() throws Exception {
        apps.venue().setFailureRate(1.0);
        try {
            // when an order is posted to a failing venue
            HttpResponse<String> response = post(Client.TRADER_1, marketOrder(ACCOUNT, "MSFT", 3));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String orderId = JSON.readTree(response.body()).path("orderId").asString();

            // then it ends FAILED after its attempts, with the reason
            JsonNode failed = awaitStatus(orderId, "FAILED");
            assertThat(failed.path("attempts").asInt()).isGreaterThan(1);
            assertThat(failed.path("reasons").values())
                    .extracting(JsonNode::asString)
                    .contains("RETRIES_EXHAUSTED");
        } finally {
            apps.venue().setFailureRate(0.0);
        }

        // and a new order after the venue healed fills
        HttpResponse<String> healed = post(Client.TRADER_1, marketOrder(ACCOUNT, "MSFT", 3));
        assertThat(healed.statusCode()).as(healed.body()).isEqualTo(202);
        awaitStatus(JSON.readTree(healed.body()).path("orderId").asString(), "FILLED");
    }

    private JsonNode awaitStatus(String orderId, String status) {
        return awaitStatus(Client.TRADER_1, orderId, status);
    }

    /** The order's state as {@code client} reads it, once it has {@code status}. */
    private JsonNode awaitStatus(Client client, String orderId, String status) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> getOrder(client, orderId),
                        state -> state.isPresent()
                                && state.get().path("status").asString().equals(status))
                .orElseThrow();
    }

    private String marketOrder(String account, String symbol, long quantity) {
        return """
                {"accountId":"%s","clientOrderId":"m-%s-%d","symbol":"%s","side":"BUY","orderType":"MARKET",\
                "quantity":%d}""".formatted(account, run, clientOrderIds.incrementAndGet(), symbol, quantity);
    }

    private HttpResponse<String> send(Client client, String method, String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(apps.ingestUrl() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Authorization", bearer(client))
                        .method(
                                method,
                                json.isEmpty()
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
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
            HttpResponse<String> probe = post(Client.TRADER_1, limitOrder(ACCOUNT, "MSFT", "1", "\"400.00\""));
            assertThat(probe.statusCode()).as(probe.body()).isEqualTo(202);
            return false;
        });
    }

    private String limitOrder(String account, String symbol, String quantity, String price) {
        return """
                {"accountId":"%s","clientOrderId":"c-%s-%d","symbol":"%s","side":"BUY","orderType":"LIMIT",\
                "quantity":%s,"price":%s}""".formatted(account, run, clientOrderIds.incrementAndGet(), symbol, quantity, price);
    }

    private String bearer(Client client) {
        return apps.tokens().bearer(client);
    }

    private HttpResponse<String> post(Client client, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apps.ingestUrl() + "/orders"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (client != null) {
            request.header("Authorization", bearer(client));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Client client, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(apps.queryUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", bearer(client))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The order's state from query-ws-service as {@code client} sees it, or empty while it answers 404. */
    private Optional<JsonNode> getOrder(Client client, String orderId) throws Exception {
        HttpResponse<String> response = get(client, "/orders/" + orderId);
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
