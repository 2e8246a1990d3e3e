package io.orderpipeline.query.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.auth.TestTokens;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.RawStompClient;
import io.orderpipeline.query.support.RawStompClient.Frame;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** STOMP with real tokens: CONNECT authenticates, SUBSCRIBE is authorized, nothing of another account gets through. */
class StompAccessTest {

    private static final String TOPIC = "orders.state.stomp-access-" + UUID.randomUUID();

    private static QueryInstance instance;
    private static Orders orders;

    @BeforeAll
    static void start() throws Exception {
        instance = QueryInstance.start(
                TOPIC,
                "query-stomp-access-" + UUID.randomUUID(),
                Files.createTempDirectory("query-stomp-access"),
                Map.of());
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

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + instance.port() + "/ws");
    }

    @Test
    void shouldRefuseAConnectWithoutAToken() {
        // given / when
        try (RawStompClient client = RawStompClient.attempt(ws(), null)) {
            // then
            assertThat(client.connected()).failsWithin(Duration.ofSeconds(10));
            assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(client.errors())
                    .singleElement()
                    .satisfies(error -> assertThat(error.header("message")).contains("Authorization"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestTokens.Hostile.class)
    void shouldRefuseAConnectWithAHostileToken(TestTokens.Hostile kind) {
        // given a token with one defect
        String token =
                TestIssuer.testTokens().hostile(kind, "mallory", List.of("acc-1"), "orders:read", "orders:admin");

        // when / then
        try (RawStompClient client = RawStompClient.attempt(ws(), token)) {
            assertThat(client.connected()).as(kind.name()).failsWithin(Duration.ofSeconds(10));
            assertThat(client.closed()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(client.errors()).isNotEmpty();
        }
    }

    @Test
    void shouldRefuseTheFirehoseToATrader() {
        // given
        try (RawStompClient trader = RawStompClient.connect(ws(), TestIssuer.trader1())) {
            // when
            trader.subscribe("all", "/topic/orders");

            // then
            await().atMost(Duration.ofSeconds(10))
                    .alias("an ERROR frame; got " + trader.frames() + ", closed " + trader.closed())
                    .until(() -> !trader.errors().isEmpty());
            assertThat(trader.errors().get(0).header("message")).isEqualTo(StompAccess.REFUSED_SUBSCRIPTION);
            assertThat(trader.closed()).succeedsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void shouldRefuseAnotherAccountsTopicAndAnyOtherDestination() {
        for (String destination : List.of("/topic/accounts.acc-1", "/topic/other", "/queue/orders")) {
            try (RawStompClient trader = RawStompClient.connect(ws(), TestIssuer.trader2())) {
                // when
                trader.subscribe("s", destination);

                // then
                await().atMost(Duration.ofSeconds(10))
                        .alias(destination + ": an ERROR frame; got " + trader.frames() + ", closed " + trader.closed())
                        .until(() -> !trader.errors().isEmpty());
                assertThat(trader.closed()).as(destination).succeedsWithin(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void shouldRefuseAnotherAccountsOrderAndDeliverNothingOfIt() {
        // given trader-1's order
        String theirs = Orders.routedId("acc-1");
        Instant created = Instant.now();
        orders.send(Orders.state(theirs, "acc-1", "AAPL", OrderStatus.PENDING, 1, created));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + theirs).statusCode() == 200);

        try (RawStompClient other = RawStompClient.connect(ws(), TestIssuer.trader2())) {
            // when trader-2 subscribes to it, and it changes
            other.subscribe("one", "/topic/orders." + theirs);
            await().atMost(Duration.ofSeconds(10)).until(() -> !other.errors().isEmpty());
            orders.send(Orders.state(theirs, "acc-1", "AAPL", OrderStatus.PLACED, 2, created));

            // then ERROR, closed, and no MESSAGE ever
            assertThat(other.errors().get(0).header("message")).isEqualTo(StompAccess.REFUSED_SUBSCRIPTION);
            assertThat(other.closed()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(other.frames()).noneMatch(frame -> frame.command().equals("MESSAGE"));
        }
        // while its owner gets the snapshot
        try (RawStompClient owner = RawStompClient.connect(ws(), TestIssuer.trader1())) {
            owner.subscribe("one", "/topic/orders." + theirs);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !owner.messages("one").isEmpty());
            assertThat(owner.messages("one").get(0).header("message-kind")).isEqualTo("snapshot");
        }
    }

    @Test
    void shouldLetATraderSubscribeBeforeItsOrderExistsAndDeliverOnlyItsOwnAccountsStates() {
        // given an id routed to acc-1 that does not exist yet, and one routed to acc-1 that turns out to be acc-3's
        String mine = Orders.routedId("acc-1");
        String impostor = Orders.routedId("acc-1");
        Instant created = Instant.now();
        try (RawStompClient trader = RawStompClient.connect(ws(), TestIssuer.trader1());
                RawStompClient ops = RawStompClient.connect(ws(), TestIssuer.ops())) {
            trader.subscribe("mine", "/topic/orders." + mine);
            trader.subscribe("impostor", "/topic/orders." + impostor);
            trader.subscribe("account", "/topic/accounts.acc-1");
            ops.subscribe("all", "/topic/orders");
            StompPushTestSupport.awaitLive(orders, trader, "account");
            StompPushTestSupport.awaitLive(orders, ops, "all");

            // when both appear
            orders.send(Orders.state(impostor, "acc-3", "AAPL", OrderStatus.PENDING, 1, created));
            orders.send(Orders.state(mine, "acc-1", "AAPL", OrderStatus.PENDING, 1, created));

            // then its own order's first state is its snapshot; the other account's state reached the hub but not it
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !trader.messages("mine").isEmpty());
            assertThat(trader.messages("mine").get(0).header("message-kind")).isEqualTo("snapshot");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ops.messages("all").stream().anyMatch(f -> impostor.equals(f.header("order-id"))));
            StompPushTestSupport.awaitLive(orders, trader, "account"); // anything queued before has arrived by now
            assertThat(trader.messages("impostor")).isEmpty();
            assertThat(trader.errors()).isEmpty();
            assertThat(OrderRouting.isRoutedTo(UUID.fromString(impostor), "acc-1"))
                    .isTrue();
        }
    }

    @Test
    void shouldDeliverAnAccountsChangesAndNoneOfAnotherAccount() {
        // given trader-1 on acc-1's topic and the operator on the firehose
        try (RawStompClient trader = RawStompClient.connect(ws(), TestIssuer.trader1());
                RawStompClient ops = RawStompClient.connect(ws(), TestIssuer.ops())) {
            trader.subscribe("acc", "/topic/accounts.acc-1");
            ops.subscribe("all", "/topic/orders");
            StompPushTestSupport.awaitLive(orders, trader, "acc");
            StompPushTestSupport.awaitLive(orders, ops, "all");
            String acc1 = Orders.routedId("acc-1");
            String acc3 = Orders.routedId("acc-3");
            Instant created = Instant.now();

            // when an order of each account changes
            orders.send(Orders.state(acc3, "acc-3", "MSFT", OrderStatus.PENDING, 1, created));
            orders.send(Orders.state(acc1, "acc-1", "MSFT", OrderStatus.PENDING, 1, created));
            orders.send(Orders.state(acc1, "acc-1", "MSFT", OrderStatus.PLACED, 2, created));

            // then trader-1 gets acc-1's changes as deltas, and acc-3's never (the operator got it)
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> trader.messages("acc").stream()
                            .anyMatch(f -> acc1.equals(f.header("order-id")) && "2".equals(f.header("order-version"))));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ops.messages("all").stream().anyMatch(f -> acc3.equals(f.header("order-id"))));
            StompPushTestSupport.awaitLive(orders, trader, "acc");
            List<Frame> received = trader.messages("acc");
            assertThat(received).allSatisfy(f -> {
                assertThat(f.header("destination")).isEqualTo("/topic/accounts.acc-1");
                assertThat(f.header("message-kind")).isEqualTo("delta");
                assertThat(f.body()).contains("\"accountId\":\"acc-1\"");
            });
            assertThat(received).noneMatch(f -> acc3.equals(f.header("order-id")));
        }
    }

    @Test
    void shouldCloseASessionWhenItsTokenExpires() {
        // given a session of a token that lives 4 seconds
        String brief = TestIssuer.shortLived("trader-1", "trader-1-secret", Duration.ofSeconds(4));
        Instant connected = Instant.now();
        try (RawStompClient trader = RawStompClient.connect(ws(), brief)) {
            trader.subscribe("acc", "/topic/accounts.acc-1");
            assertThat(trader.closed()).isNotDone();

            // when its token expires / then it is told so and closed
            await().atMost(Duration.ofSeconds(20)).until(() -> trader.closed().isDone());
            assertThat(trader.errors())
                    .singleElement()
                    .satisfies(error -> assertThat(error.header("message")).isEqualTo(StompAccess.EXPIRED));
            assertThat(Duration.between(connected, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }
}
