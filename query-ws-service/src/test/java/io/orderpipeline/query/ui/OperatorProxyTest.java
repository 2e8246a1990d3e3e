package io.orderpipeline.query.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operators' writes over real HTTP with real tokens: the filtered replay finds the FAILED orders in the status
 * index and sends exactly the matching ones to ingest-api (the {@link TokenCheckingIngest} stand-in, which checks the
 * forwarded token for {@code orders:admin}) in one bulk request, and hands its counts back; the single replay and
 * re-drive proxies forward to ingest-api's operator endpoints (a second re-drive: ingest-api's 409 comes back); the
 * venue's state comes through from its admin API.
 */
class OperatorProxyTest {

    private static final String TOPIC = "orders.state.operator-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Orders orders;
    private static TokenCheckingIngest ingest;
    private static FakeVenue venue;
    private static QueryInstance instance;

    @BeforeAll
    static void start() throws Exception {
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        ingest = new TokenCheckingIngest(TestIssuer.issuerUri(), orders);
        venue = new FakeVenue();
        instance = QueryInstance.start(
                TOPIC,
                "query-operator-" + UUID.randomUUID(),
                Files.createTempDirectory("query-operator"),
                Map.of(
                        "orders.ui.ingest-url", ingest.url(),
                        "orders.ui.venue-url", venue.url(),
                        "orders.query.standby-replicas", "0"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {instance, venue, ingest, orders}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldReplayExactlyTheFailedOrdersMatchingReasonAndTimeWithTheCallersToken() throws Exception {
        // given FAILED orders of two reasons and times, and a PLACED one with the same error text
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        OrderState closedEarly = failed("acc-1", "venue: exchange closed", t);
        OrderState closedLate = failed("acc-3", "venue: exchange closed", t.plusSeconds(3600));
        OrderState unknown = failed("acc-2", "venue: unknown symbol", t.plusSeconds(60));
        OrderState placed = OrderState.newBuilder(TokenCheckingIngest.placed("acc-1", "AAPL"))
                .setLastError("venue: exchange closed")
                .build();
        for (OrderState state : List.of(closedEarly, closedLate, unknown, placed)) {
            orders.send(state);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        instance.get("/orders?status=FAILED&limit=100").body().split("\"status\":\"FAILED\"").length
                                        == 4
                                && instance.get("/orders/" + placed.getOrderId())
                                                .statusCode()
                                        == 200);

        int before = ingest.adminRequests().size(); // the other test's requests
        // when the operator replays the FAILED orders whose error says "Exchange Closed", failed before t + 30 min
        HttpResponse<String> answer = post(
                "/admin/orders/replay?reason=Exchange%20Closed&from=" + t.minusSeconds(1) + "&to="
                        + t.plusSeconds(1800),
                TestIssuer.ops());

        // then ingest-api got one bulk replay of exactly that order, with the operator's token, and its counts came
        // back
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(JSON.readTree(answer.body())
                        .get("counts")
                        .get("REPLAY_REQUESTED")
                        .asInt())
                .isEqualTo(1);
        assertThat(answer.headers().firstValue("Orders-Matched")).hasValue("1");
        assertThat(ingest.adminRequests()).hasSize(before + 1);
        TokenCheckingIngest.Change bulk = ingest.adminRequests().get(before);
        assertThat(bulk.subject()).isEqualTo("ops");
        assertThat(bulk.path()).isEqualTo("/admin/orders/replay");
        JsonNode ids = JSON.readTree(bulk.body()).get("orderIds");
        assertThat(ids).hasSize(1);
        assertThat(ids.get(0).asString()).isEqualTo(closedEarly.getOrderId());

        // when the reason matches every FAILED order but the window none, ingest-api is not called
        HttpResponse<String> none =
                post("/admin/orders/replay?reason=venue&from=2030-01-01T00:00:00Z", TestIssuer.ops());
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(none.body()).get("matched").asInt()).isZero();
        assertThat(ingest.adminRequests()).hasSize(before + 1);

        // and without a filter every FAILED order goes (the PLACED one never)
        HttpResponse<String> all = post("/admin/orders/replay", TestIssuer.ops());
        assertThat(all.headers().firstValue("Orders-Matched")).hasValue("3");
        assertThat(JSON.readTree(ingest.adminRequests().get(before + 1).body())
                        .get("orderIds")
                        .toString())
                .contains(closedEarly.getOrderId(), closedLate.getOrderId(), unknown.getOrderId())
                .doesNotContain(placed.getOrderId());

        // and a bad time is a 400
        assertThat(post("/admin/orders/replay?from=yesterday", TestIssuer.ops()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void shouldForwardSingleReplayAndRedriveToIngestAndShowTheVenuesState() throws Exception {
        // given an order id and a dead letter's ref
        String orderId = Orders.routedId("acc-1");

        // when the operator replays it and re-drives the ref twice through the page's proxies
        HttpResponse<String> replay = post("/api/admin/orders/" + orderId + "/replay", TestIssuer.ops());
        HttpResponse<String> first = post("/api/admin/dead-letters/dlq-1-7/redrive", TestIssuer.ops());
        HttpResponse<String> second = post("/api/admin/dead-letters/dlq-1-7/redrive", TestIssuer.ops());

        // then ingest-api's operator endpoints got them with the operator's token; its answers came back unchanged
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(ingest.adminRequests())
                .extracting(TokenCheckingIngest.Change::path)
                .contains("/admin/orders/" + orderId + "/replay", "/admin/dead-letters/dlq-1-7/redrive");
        assertThat(ingest.adminRequests())
                .allSatisfy(r -> assertThat(r.subject()).isEqualTo("ops"));

        // and the venue's state comes through: its session and failure rate
        venue.set(FakeVenue.state(false, 0.25));
        HttpResponse<String> state = instance.get("/api/venue/state", TestIssuer.ops());
        assertThat(state.statusCode()).isEqualTo(200);
        JsonNode venueState = JSON.readTree(state.body());
        assertThat(venueState.get("sessions").get(0).get("loggedOn").asBoolean())
                .isFalse();
        assertThat(venueState.get("faults").get("failureRate").asDouble()).isEqualTo(0.25);
    }

    private static OrderState failed(String accountId, String error, Instant failedAt) {
        OrderState placed = TokenCheckingIngest.placed(accountId, "AAPL");
        return OrderState.newBuilder(placed)
                .setStatus(OrderStatus.FAILED)
                .setVersion(4)
                .setLastError(error)
                .setReasons(List.of(error))
                .setUpdatedAt(failedAt)
                .build();
    }

    private static HttpResponse<String> post(String path, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
