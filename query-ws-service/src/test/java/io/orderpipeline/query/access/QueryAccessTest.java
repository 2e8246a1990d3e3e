package io.orderpipeline.query.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.auth.TestTokens;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.query.view.LocalOrderStore;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP rules with real tokens from the real issuer: who may read which orders. */
class QueryAccessTest {

    private static final String TOPIC = "orders.state.access-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant CREATED = Instant.parse("2026-03-04T05:06:07Z");

    private static QueryInstance instance;
    private static Orders orders;
    /** Orders by account: acc-1 and acc-2 are trader-1's, acc-3 trader-2's. */
    private static final Map<String, List<String>> ids =
            Map.of("acc-1", new ArrayList<>(), "acc-2", new ArrayList<>(), "acc-3", new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        instance = QueryInstance.start(
                TOPIC, "query-access-" + UUID.randomUUID(), Files.createTempDirectory("query-access"), Map.of());
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        int n = 0;
        for (String account : List.of("acc-1", "acc-2", "acc-3")) {
            for (int i = 0; i < 4; i++) {
                String id = Orders.routedId(account);
                ids.get(account).add(id);
                orders.send(Orders.state(id, account, "AAPL", OrderStatus.PLACED, 2, CREATED.plusSeconds(n++)));
            }
        }
        // orders.state is keyed by orderId, so the twelve states sit on different partitions, each read on its own:
        // wait until every one is listed (by id and in the operator's listing), not only the last one sent
        List<String> all = concat(concat(ids.get("acc-1"), ids.get("acc-2")), ids.get("acc-3"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> all.stream()
                                .allMatch(id -> instance.get("/orders/" + id).statusCode() == 200)
                        && idsOf(items(instance.get("/orders?limit=100"))).containsAll(all));
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
    void shouldAnswer401ProblemWithWwwAuthenticateWithoutAToken() {
        // given / when
        HttpResponse<String> byId = instance.get("/orders/" + ids.get("acc-1").get(0), null);
        HttpResponse<String> list = instance.get("/orders", null);

        // then
        for (HttpResponse<String> response : List.of(byId, list)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @ParameterizedTest
    @EnumSource(TestTokens.Hostile.class)
    void shouldRefuseEveryHostileTokenWith401(TestTokens.Hostile kind) {
        // given a token with exactly one defect, for every account and scope
        List<String> all = List.of("acc-1", "acc-2", "acc-3");
        String hostile =
                TestIssuer.testTokens().hostile(kind, "mallory", all, "orders:read", "orders:write", "orders:admin");
        String valid = TestIssuer.testTokens().valid("mallory", all, "orders:read", "orders:write", "orders:admin");
        String path = "/orders/" + ids.get("acc-1").get(0);

        // when / then it is refused, and the same token without the defect is accepted
        HttpResponse<String> refused = instance.get(path, hostile);
        assertThat(refused.statusCode()).as(kind.name()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        assertThat(instance.get("/orders?limit=1", hostile).statusCode()).isEqualTo(401);
        assertThat(instance.get(path, valid).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer403ForAValidTokenWithoutTheReadScope() {
        // given
        String writeOnly = TestIssuer.testTokens().valid("trader-1", List.of("acc-1"), "orders:write");

        // when
        HttpResponse<String> response =
                instance.get("/orders/" + ids.get("acc-1").get(0), writeOnly);

        // then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).contains("insufficient_scope"));
    }

    @Test
    void shouldAnswerAnotherAccountsOrderExactlyAsAnUnknownOne() throws Exception {
        // given trader-1's order and an id nobody has used, routed to the same account
        String theirs = ids.get("acc-1").get(0);
        String unknown = Orders.routedId("acc-1");

        // when trader-2 asks for both
        HttpResponse<String> foreign = instance.get("/orders/" + theirs, TestIssuer.trader2());
        HttpResponse<String> missing = instance.get("/orders/" + unknown, TestIssuer.trader2());

        // then the answers are the same but for the id
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(foreign.headers().firstValue("Content-Type"))
                .isEqualTo(missing.headers().firstValue("Content-Type"))
                .hasValue("application/problem+json");
        assertThat(foreign.body().replace(theirs, "ID"))
                .isEqualTo(missing.body().replace(unknown, "ID"));
        // and its owner sees it
        assertThat(instance.get("/orders/" + theirs, TestIssuer.trader1()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldLetALongPollOnAnotherAccountsOrderTimeOutAsOnAnUnknownOne() {
        // given a terminal order of trader-1 (a long-poll on it completes at once for its owner)
        String theirs = ids.get("acc-1").get(1);
        String wait = "?waitForVersion=1&timeout=300ms";

        // when / then trader-2 waits until the timeout, as for an id that does not exist
        HttpResponse<String> foreign = instance.get("/orders/" + theirs + wait, TestIssuer.trader2());
        HttpResponse<String> missing = instance.get("/orders/" + Orders.routedId("acc-1") + wait, TestIssuer.trader2());
        assertThat(foreign.statusCode()).isEqualTo(504);
        assertThat(missing.statusCode()).isEqualTo(504);
        HttpResponse<String> owner = instance.get("/orders/" + theirs + wait, TestIssuer.trader1());
        assertThat(owner.statusCode()).isEqualTo(200);
        assertThat(owner.body()).contains(theirs);
    }

    @Test
    void shouldListOnlyTheCallersAccounts() throws Exception {
        // given / when
        List<JsonNode> trader1 = items(instance.get("/orders?limit=100", TestIssuer.trader1()));
        List<JsonNode> trader2 = items(instance.get("/orders?limit=100", TestIssuer.trader2()));

        // then
        assertThat(idsOf(trader1)).containsExactlyInAnyOrderElementsOf(concat(ids.get("acc-1"), ids.get("acc-2")));
        assertThat(idsOf(trader2)).containsExactlyInAnyOrderElementsOf(ids.get("acc-3"));
        // newest first across the merged accounts
        List<String> newestFirst = new ArrayList<>(concat(ids.get("acc-1"), ids.get("acc-2")));
        java.util.Collections.reverse(newestFirst);
        assertThat(idsOf(trader1)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void shouldWalkTheCallersOrdersPageByPageFromTheAccountIndex() throws Exception {
        // given
        LocalOrderStore store = instance.bean(LocalOrderStore.class);
        long fullScansBefore = store.fullScans();
        List<String> seen = new ArrayList<>();
        String cursor = null;

        // when trader-1 walks its orders three at a time
        do {
            JsonNode page = JSON.readTree(
                    instance.get("/orders?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), TestIssuer.trader1())
                            .body());
            page.get("items").forEach(item -> seen.add(item.get("orderId").asString()));
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asString();
        } while (cursor != null);

        // then every order of its accounts once, none of another, and from the built indexes only
        assertThat(seen).hasSize(8).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(concat(ids.get("acc-1"), ids.get("acc-2"))));
        assertThat(store.fullScans()).isEqualTo(fullScansBefore);
    }

    @Test
    void shouldFilterByAnAccountOfTheTokenAndRefuseAnotherWith403() throws Exception {
        // given / when
        List<JsonNode> acc2 = items(instance.get("/orders?accountId=acc-2&limit=100", TestIssuer.trader1()));
        HttpResponse<String> acc3 = instance.get("/orders?accountId=acc-3&limit=100", TestIssuer.trader1());

        // then
        assertThat(idsOf(acc2)).containsExactlyInAnyOrderElementsOf(ids.get("acc-2"));
        assertThat(acc3.statusCode()).isEqualTo(403);
        assertThat(acc3.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(acc3.body()).contains("urn:orderpipeline:problem:forbidden");
    }

    @Test
    void shouldShowTheOperatorEveryAccount() throws Exception {
        // given / when
        List<JsonNode> all = items(instance.get("/orders?limit=100", TestIssuer.ops()));
        List<JsonNode> acc3 = items(instance.get("/orders?accountId=acc-3&limit=100", TestIssuer.ops()));

        // then
        assertThat(idsOf(all))
                .containsExactlyInAnyOrderElementsOf(
                        concat(concat(ids.get("acc-1"), ids.get("acc-2")), ids.get("acc-3")));
        assertThat(idsOf(acc3)).containsExactlyInAnyOrderElementsOf(ids.get("acc-3"));
        assertThat(instance.get("/orders/" + ids.get("acc-3").get(0), TestIssuer.ops())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldApplyTheCallersRulesOnTheInstanceToInstanceEndpoint() throws Exception {
        // given trader-1's order; a single instance holds every partition of the state topic (3)
        String theirs = ids.get("acc-1").get(0);
        String partitions = "0,1,2";

        // when / then a forwarded query needs a token, and carries the caller's rules
        assertThat(instance.get("/internal/orders?partitions=" + partitions + "&count=10", null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(instance.get(
                                "/internal/orders?partitions=" + partitions + "&count=10&accounts=1&account=acc-1",
                                TestIssuer.trader2())
                        .statusCode())
                .isEqualTo(403);
        JsonNode own = JSON.readTree(
                instance.get("/internal/orders?partitions=" + partitions + "&count=100", TestIssuer.trader2())
                        .body());
        List<String> listed = new ArrayList<>();
        own.get("items").forEach(item -> listed.add(item.at("/order/orderId").asString()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids.get("acc-3"));
        boolean anyFound = false;
        for (String p : partitions.split(",")) {
            assertThat(instance.get("/internal/orders/" + theirs + "?partition=" + p, TestIssuer.trader2())
                            .statusCode())
                    .isEqualTo(404);
            anyFound |= instance.get("/internal/orders/" + theirs + "?partition=" + p, TestIssuer.trader1())
                            .statusCode()
                    == 200;
        }
        assertThat(anyFound).as("its owner finds it in its partition").isTrue();
    }

    @Test
    void shouldServeTheLivePageAndItsSignInSettingsWithoutAToken() throws Exception {
        // given / when
        HttpResponse<String> page = instance.get("/", null);
        HttpResponse<String> config = instance.get("/config.json", null);

        // then
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(config.statusCode()).isEqualTo(200);
        JsonNode settings = JSON.readTree(config.body());
        assertThat(settings.get("issuer").asString()).isEqualTo(TestIssuer.issuerUri());
        assertThat(settings.get("clientId").asString()).isEqualTo("live-page");
        assertThat(settings.get("scope").asString()).isEqualTo("openid orders:read orders:write orders:admin");
        assertThat(settings.get("ingestUrl").asString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(instance.get("/actuator/health", null).statusCode()).isEqualTo(200);
    }

    private static List<JsonNode> items(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(response.body()).get("items").forEach(items::add);
        return items;
    }

    private static List<String> idsOf(List<JsonNode> items) {
        return items.stream().map(item -> item.get("orderId").asString()).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
