package io.orderpipeline.query.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.RawStompClient;
import io.orderpipeline.query.support.RawStompClient.Frame;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.Side;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fills on the read side, on a real broker with real tokens: the fill fields of an order in GET, listings and STOMP,
 * the new statuses as filters, and {@code GET /accounts/{id}/positions} with its rules.
 */
class FillsAndPositionsTest {

    private static final String TOPIC = "orders.state.fills-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant CREATED = Instant.parse("2026-05-06T07:08:09Z");

    private static QueryInstance instance;
    private static Orders orders;
    /** acc-1 (trader-1): bought 100 AAPL in two fills, sold 30, bought 10 MSFT before a cancel; one order unfilled. */
    private static OrderState boughtAapl;

    private static OrderState soldAapl;
    private static OrderState cancelledMsft;
    private static OrderState restingAapl;

    @BeforeAll
    static void start() throws Exception {
        instance = QueryInstance.start(
                TOPIC, "query-fills-" + UUID.randomUUID(), Files.createTempDirectory("query-fills"), Map.of());
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        boughtAapl = Orders.filled(
                order("acc-1", "AAPL", 0),
                Side.BUY,
                OrderStatus.FILLED,
                4,
                Orders.fill("E-1", 60, "187.25", CREATED.plusSeconds(1)),
                Orders.fill("E-2", 40, "187.5", CREATED.plusSeconds(2)));
        soldAapl = Orders.filled(
                order("acc-1", "AAPL", 1),
                Side.SELL,
                OrderStatus.PARTIALLY_FILLED,
                3,
                Orders.fill("E-3", 30, "190", CREATED.plusSeconds(3)));
        cancelledMsft = Orders.filled(
                order("acc-1", "MSFT", 2),
                Side.BUY,
                OrderStatus.CANCELLED,
                5,
                Orders.fill("E-4", 10, "400.10", CREATED.plusSeconds(4)));
        restingAapl = order("acc-1", "AAPL", 3);
        // another of trader-1's accounts, and trader-2's: neither may show up in acc-1's positions
        OrderState otherAccount = Orders.filled(
                order("acc-2", "AAPL", 4),
                Side.BUY,
                OrderStatus.FILLED,
                3,
                Orders.fill("E-5", 100, "100", CREATED.plusSeconds(5)));
        OrderState trader2 = Orders.filled(
                order("acc-3", "NVDA", 5),
                Side.SELL,
                OrderStatus.PARTIALLY_FILLED,
                3,
                Orders.fill("E-6", 20, "500.5", CREATED.plusSeconds(6)));
        List<OrderState> all = List.of(boughtAapl, soldAapl, cancelledMsft, restingAapl, otherAccount, trader2);
        all.forEach(orders::send);
        awaitStored(all);
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
    void shouldShowFilledLeavesAveragePriceAndEveryFillOfAnOrder() {
        // given / when
        JsonNode order = JSON.readTree(instance.get("/orders/" + boughtAapl.getOrderId(), TestIssuer.trader1())
                .body());

        // then
        assertThat(order.get("status").asString()).isEqualTo("FILLED");
        assertThat(order.get("filledQuantity").asLong()).isEqualTo(100);
        assertThat(order.get("leavesQuantity").asLong()).isZero();
        assertThat(order.get("averagePrice").asString()).isEqualTo("187.35");
        assertThat(order.get("pendingRequest").isNull()).isTrue();
        JsonNode fills = order.get("fills");
        assertThat(fills).hasSize(2);
        assertThat(fills.get(0).get("executionId").asString()).isEqualTo("E-1");
        assertThat(fills.get(0).get("quantity").asLong()).isEqualTo(60);
        assertThat(fills.get(0).get("price").asString()).isEqualTo("187.25");
        assertThat(fills.get(0).get("executedAt").asString()).isEqualTo("2026-05-06T07:08:10Z");
        assertThat(fills.get(1).get("executionId").asString()).isEqualTo("E-2");
        assertThat(fills.get(1).get("price").asString()).isEqualTo("187.5");
        // and an order without fills says so
        JsonNode resting = JSON.readTree(instance.get("/orders/" + restingAapl.getOrderId(), TestIssuer.trader1())
                .body());
        assertThat(resting.get("filledQuantity").asLong()).isZero();
        assertThat(resting.get("averagePrice").isNull()).isTrue();
        assertThat(resting.get("fills")).isEmpty();
    }

    @Test
    void shouldFilterListingsByTheNewStatusesWithTheFillsInEachItem() {
        // given / when
        List<JsonNode> filled = items(instance.get("/orders?status=FILLED&accountId=acc-1", TestIssuer.trader1()));
        List<JsonNode> partially = items(instance.get("/orders?status=PARTIALLY_FILLED", TestIssuer.trader1()));
        List<JsonNode> expired = items(instance.get("/orders?status=EXPIRED", TestIssuer.trader1()));

        // then
        assertThat(filled).extracting(o -> o.get("orderId").asString()).containsExactly(boughtAapl.getOrderId());
        assertThat(filled.get(0).get("fills")).hasSize(2);
        assertThat(partially).extracting(o -> o.get("orderId").asString()).containsExactly(soldAapl.getOrderId());
        assertThat(partially.get(0).get("leavesQuantity").asLong()).isEqualTo(70);
        assertThat(expired).isEmpty();
    }

    @Test
    void shouldPushEachFillAsADeltaWithTheNextVersion() {
        // given a placed order (of acc-2: acc-1's positions stay as the other tests expect), and a subscriber on it
        OrderState placed = Orders.state(Orders.routedId("acc-2"), "acc-2", "GOOGL", OrderStatus.PLACED, 2, CREATED);
        orders.send(placed);
        awaitStored(List.of(placed));
        try (RawStompClient client = RawStompClient.connect(ws(), TestIssuer.trader1())) {
            client.subscribe("one", "/topic/orders." + placed.getOrderId());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !client.messages("one").isEmpty());

            // when the venue fills it in two executions
            var first = Orders.fill("G-1", 25, "140.01", CREATED.plusSeconds(10));
            var second = Orders.fill("G-2", 75, "140.03", CREATED.plusSeconds(11));
            orders.send(Orders.filled(placed, Side.BUY, OrderStatus.PARTIALLY_FILLED, 3, first));
            orders.send(Orders.filled(placed, Side.BUY, OrderStatus.FILLED, 4, first, second));

            // then a snapshot, then one delta per report, each with the next version and the fills so far
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.messages("one").size() >= 3);
            List<Frame> messages = client.messages("one");
            assertThat(messages)
                    .extracting(f -> f.header("message-kind"))
                    .containsExactly("snapshot", "delta", "delta");
            assertThat(messages).extracting(f -> f.header("order-version")).containsExactly("2", "3", "4");
            JsonNode partial = JSON.readTree(messages.get(1).body());
            assertThat(partial.get("status").asString()).isEqualTo("PARTIALLY_FILLED");
            assertThat(partial.get("filledQuantity").asLong()).isEqualTo(25);
            assertThat(partial.get("leavesQuantity").asLong()).isEqualTo(75);
            assertThat(partial.get("averagePrice").asString()).isEqualTo("140.01");
            assertThat(partial.get("fills")).hasSize(1);
            JsonNode done = JSON.readTree(messages.get(2).body());
            assertThat(done.get("status").asString()).isEqualTo("FILLED");
            assertThat(done.get("filledQuantity").asLong()).isEqualTo(100);
            assertThat(done.get("averagePrice").asString()).isEqualTo("140.025");
            assertThat(done.get("fills"))
                    .extracting(f -> f.get("executionId").asString())
                    .containsExactly("G-1", "G-2");
        }
    }

    @Test
    void shouldComputeTheAccountsPositionsFromItsFills() {
        // given the fills of acc-1's orders (spread over the state topic's partitions)

        // when
        HttpResponse<String> response = instance.get("/accounts/acc-1/positions", TestIssuer.trader1());

        // then one position per symbol with fills, by symbol
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accountId").asString()).isEqualTo("acc-1");
        JsonNode positions = body.get("positions");
        assertThat(positions).extracting(p -> p.get("symbol").asString()).containsExactly("AAPL", "MSFT");
        // AAPL: bought 60 @ 187.25 + 40 @ 187.50 (average 187.35), sold 30 @ 190; the open 70 cost 187.35 each
        JsonNode aapl = positions.get(0);
        assertThat(aapl.get("netQuantity").asLong()).isEqualTo(70);
        assertThat(aapl.get("buyQuantity").asLong()).isEqualTo(100);
        assertThat(aapl.get("sellQuantity").asLong()).isEqualTo(30);
        assertThat(aapl.get("averageCost").asString()).isEqualTo("187.35");
        assertThat(aapl.get("averageBuyPrice").asString()).isEqualTo("187.35");
        assertThat(aapl.get("averageSellPrice").asString()).isEqualTo("190");
        assertThat(aapl.get("realizedPnl").asString()).isEqualTo("79.5"); // 30 x (190 - 187.35)
        assertThat(aapl.get("fills").asLong()).isEqualTo(3);
        // MSFT: the fill before the cancel counts
        JsonNode msft = positions.get(1);
        assertThat(msft.get("netQuantity").asLong()).isEqualTo(10);
        assertThat(msft.get("averageCost").asString()).isEqualTo("400.1");
        assertThat(msft.get("averageSellPrice").isNull()).isTrue();
        assertThat(msft.get("realizedPnl").asString()).isEqualTo("0");
    }

    @Test
    void shouldShowAShortPositionAtItsAverageSellPriceAndAnAccountWithoutFillsEmpty() {
        // given / when
        JsonNode acc3 = JSON.readTree(
                instance.get("/accounts/acc-3/positions", TestIssuer.trader2()).body());
        HttpResponse<String> none = instance.get("/accounts/acc-9/positions", TestIssuer.ops());

        // then
        JsonNode nvda = acc3.get("positions").get(0);
        assertThat(nvda.get("symbol").asString()).isEqualTo("NVDA");
        assertThat(nvda.get("netQuantity").asLong()).isEqualTo(-20);
        assertThat(nvda.get("averageCost").asString()).isEqualTo("500.5");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(none.body()).get("positions")).isEmpty();
    }

    @Test
    void shouldRefuseAnotherAccountsPositionsAndLetTheOperatorSeeEveryAccount() {
        // given trader-1 (acc-1, acc-2), trader-2 (acc-3), ops (orders:admin)
        String writeOnly = TestIssuer.testTokens().valid("trader-1", List.of("acc-1"), "orders:write");

        // when / then
        HttpResponse<String> foreign = instance.get("/accounts/acc-3/positions", TestIssuer.trader1());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(instance.get("/accounts/acc-1/positions", TestIssuer.trader2())
                        .statusCode())
                .isEqualTo(403);
        assertThat(instance.get("/accounts/acc-1/positions", null).statusCode()).isEqualTo(401);
        assertThat(instance.get("/accounts/acc-1/positions", writeOnly).statusCode())
                .isEqualTo(403);
        HttpResponse<String> operator = instance.get("/accounts/acc-1/positions", TestIssuer.ops());
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(operator.body()))
                .isEqualTo(JSON.readTree(instance.get("/accounts/acc-1/positions", TestIssuer.trader1())
                        .body()));
        // and the instance-to-instance form applies the caller's rules too
        String internal = "/internal/accounts/acc-1/positions?partitions=0,1,2";
        assertThat(instance.get(internal, TestIssuer.trader2()).statusCode()).isEqualTo(403);
        assertThat(instance.get(internal, TestIssuer.trader1()).statusCode()).isEqualTo(200);
    }

    private static OrderState order(String account, String symbol, int n) {
        return Orders.state(Orders.routedId(account), account, symbol, OrderStatus.PLACED, 2, CREATED.plusMillis(n));
    }

    private static void awaitStored(List<OrderState> states) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> states.stream().allMatch(state -> {
                    HttpResponse<String> response = instance.get("/orders/" + state.getOrderId());
                    return response.statusCode() == 200
                            && JSON.readTree(response.body()).get("version").asLong() == state.getVersion();
                }));
    }

    private static List<JsonNode> items(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(response.body()).get("items").forEach(items::add);
        return items;
    }

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + instance.port() + "/ws");
    }
}
