package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.auth.TestTokens;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestOnBroker;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * ingest-api as an OAuth2 resource server, end to end: real tokens of the real issuer (trader-1: acc-1, acc-2;
 * trader-2: acc-3; ops: orders:admin), real HTTP, a real broker. "Nothing written" is checked on the topic with a
 * {@code read_committed} reader: after the refused requests a marker order is placed, and it must be the only new
 * command (commands are committed in queue order, so once the marker is visible, nothing queued before it is still
 * on its way).
 */
@SpringBootTest(
        classes = IngestApiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApiApplication.CONFIG_NAME,
            "orders.topics.commands=" + IngestSecurityTest.TOPIC,
            "orders.topics.idempotency=idempotency.security"
        })
class IngestSecurityTest extends IngestOnBroker {

    static final String TOPIC = "commands.security";

    @Test
    void shouldAnswer401ProblemWithWwwAuthenticateWithoutATokenAndWriteNothing() {
        // given no token
        Http anonymous = trader1.anonymous();
        String orderId = placed(trader1.postJson("/orders", order("acc-1", "c-sec-own")));

        // when / then every write is refused as unauthenticated, nothing is written
        assertThat(assertNothingWritten(() -> List.of(
                        anonymous.postJson("/orders", order("acc-1", "c-sec-anon")),
                        anonymous.postJson("/orders/batch", "[" + order("acc-1", "c-sec-anon-b") + "]"),
                        anonymous.postJson("/orders/" + orderId + "/cancel", ""))))
                .allSatisfy(response -> {
                    assertThat(response.statusCode()).isEqualTo(401);
                    assertThat(response.headers().firstValue("WWW-Authenticate"))
                            .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                    assertProblem(response, "urn:orderpipeline:problem:unauthorized");
                });
        // and health stays open
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer403ForATokenWithoutTheWriteScopeAndWriteNothing() {
        // given a trader-1 token with orders:read only
        Http readOnly = trader1.withToken(TestIssuer.token(TestIssuer.TRADER_1, "orders:read"));

        // when / then
        assertThat(assertNothingWritten(() -> List.of(
                        readOnly.postJson("/orders", order("acc-1", "c-sec-ro")),
                        readOnly.postJson("/orders/batch", "[" + order("acc-1", "c-sec-ro-b") + "]"))))
                .allSatisfy(response -> {
                    assertThat(response.statusCode()).isEqualTo(403);
                    assertThat(response.headers().firstValue("WWW-Authenticate"))
                            .hasValueSatisfying(v -> assertThat(v).contains("insufficient_scope"));
                    assertProblem(response, "urn:orderpipeline:problem:forbidden");
                });
    }

    @Test
    void shouldAnswer403ForAnAccountTheTokenDoesNotActForAndWriteNothing() {
        // given trader-1 (acc-1, acc-2), when it places for acc-3, with and without a key
        List<HttpResponse<String>> refused = assertNothingWritten(() -> List.of(
                trader1.postJson("/orders", order("acc-3", "c-sec-foreign")),
                trader1.postJson(
                        "/orders", order("acc-3", "c-sec-foreign-k"), "Idempotency-Key", "k-" + UUID.randomUUID())));

        // then
        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertProblem(response, "urn:orderpipeline:problem:forbidden");
            assertThat(Http.json(response).get("detail").stringValue()).contains("acc-3");
        });
    }

    @Test
    void shouldAccept202ForAnAccountOfTheToken() {
        // given / when trader-1 places for acc-1 and acc-2
        HttpResponse<String> first = trader1.postJson("/orders", order("acc-1", "c-sec-ok-1"));
        HttpResponse<String> second = trader1.postJson("/orders", order("acc-2", "c-sec-ok-2"));

        // then both are written
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(commandsOf(placed(first)))
                .extracting(OrderCommand::getAccountId)
                .containsExactly("acc-1");
        assertThat(commandsOf(placed(second)))
                .extracting(OrderCommand::getAccountId)
                .containsExactly("acc-2");
    }

    @Test
    void shouldRefuseTheWholeBatchWhenOneItemNamesAForeignAccountAndWriteNothing() {
        // given a batch of trader-1 with one acc-3 order, and one whose only foreign item is also invalid
        String mixed = "[" + order("acc-1", "c-sec-b-1") + "," + order("acc-3", "c-sec-b-2") + ","
                + order("acc-2", "c-sec-b-3") + "]";
        String invalidForeign = "[" + order("acc-1", "c-sec-b-4") + ","
                + order("acc-3", "c-sec-b-5").replace("\"quantity\":100", "\"quantity\":0") + "]";

        // when / then
        assertThat(assertNothingWritten(() -> List.of(
                        trader1.postJson("/orders/batch", mixed),
                        trader1.postJson("/orders/batch", mixed, "Idempotency-Key", "k-" + UUID.randomUUID()),
                        trader1.postJson("/orders/batch", invalidForeign))))
                .allSatisfy(response -> {
                    assertThat(response.statusCode()).isEqualTo(403);
                    assertProblem(response, "urn:orderpipeline:problem:forbidden");
                });
    }

    @Test
    void shouldAnswer404ForACancelOfAnotherAccountsOrderExactlyAsForAnUnknownId() {
        // given an order of trader-1 (acc-1), and an id that names no order and is routed to no account of trader-2
        String orderId = placed(trader1.postJson("/orders", order("acc-1", "c-sec-cancel")));
        String unknownId = OrderRouting.route(UUID.randomUUID(), "acc-1").toString();
        Http trader2 = trader1.as(TestIssuer.TRADER_2);

        // when trader-2 cancels both
        List<HttpResponse<String>> refused = assertNothingWritten(() -> List.of(
                trader2.postJson("/orders/" + orderId + "/cancel", ""),
                trader2.postJson("/orders/" + unknownId + "/cancel", "")));

        // then both are the same 404, but for the id they name
        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(404);
            assertProblem(response, "urn:orderpipeline:problem:order-not-found");
        });
        JsonNode other = Http.json(refused.get(0));
        JsonNode unknown = Http.json(refused.get(1));
        assertThat(other.toString().replace(orderId, "ID"))
                .isEqualTo(unknown.toString().replace(unknownId, "ID"));

        // and trader-1 cancels its own order: the CANCEL names the account the id is routed to
        assertThat(trader1.postJson("/orders/" + orderId + "/cancel", "").statusCode())
                .isEqualTo(202);
        assertThat(commandsOf(orderId))
                .filteredOn(c -> c.getType() == CommandType.CANCEL)
                .singleElement()
                .satisfies(c -> assertThat(c.getAccountId()).isEqualTo("acc-1"));
        // and an unknown id routed to one of its accounts is 202 as before: only the topology knows the orders
        assertThat(trader1.postJson("/orders/" + unknownId + "/cancel", "").statusCode())
                .isEqualTo(202);
    }

    @Test
    void shouldLetOpsActForEveryAccount() {
        // given ops (orders:admin, no accounts claim) and an order of trader-1
        Http ops = trader1.as(TestIssuer.OPS);
        String tradersOrder = placed(trader1.postJson("/orders", order("acc-1", "c-sec-ops-1")));

        // when it places for acc-3 and in a batch for acc-1 and acc-3, and cancels trader-1's order
        HttpResponse<String> single = ops.postJson("/orders", order("acc-3", "c-sec-ops-2"));
        HttpResponse<String> batch = ops.postJson(
                "/orders/batch", "[" + order("acc-1", "c-sec-ops-3") + "," + order("acc-3", "c-sec-ops-4") + "]");
        HttpResponse<String> cancel = ops.postJson("/orders/" + tradersOrder + "/cancel", "");

        // then all are written; the admin's CANCEL names no account (any account's order)
        assertThat(single.statusCode()).isEqualTo(202);
        assertThat(batch.statusCode()).isEqualTo(202);
        assertThat(Http.json(batch).get("accepted").intValue()).isEqualTo(2);
        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(commandsOf(tradersOrder))
                .filteredOn(c -> c.getType() == CommandType.CANCEL)
                .singleElement()
                .satisfies(c -> assertThat(c.getAccountId()).isNull());
    }

    @Test
    void shouldKeepIdempotencyKeysPerAccountSoPrincipalsCannotCollideOrProbe() {
        // given trader-1 placed for acc-1 with a key
        String key = "shared-" + UUID.randomUUID();
        Http trader2 = trader1.as(TestIssuer.TRADER_2);
        HttpResponse<String> first = trader1.postJson("/orders", order("acc-1", "c-sec-key"), "Idempotency-Key", key);

        // when trader-2 uses the same key for its acc-3, and tries trader-1's very request
        HttpResponse<String> other = trader2.postJson("/orders", order("acc-3", "c-sec-key"), "Idempotency-Key", key);
        HttpResponse<String> probe = trader2.postJson("/orders", order("acc-1", "c-sec-key"), "Idempotency-Key", key);

        // then trader-2's is a new order, not a replay or a conflict, and trader-1's replay is not shown to it
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(other.statusCode()).isEqualTo(202);
        assertThat(placed(other)).isNotEqualTo(placed(first));
        assertThat(probe.statusCode()).isEqualTo(403);
        assertThat(probe.body()).doesNotContain(placed(first));
        // and trader-1's repeat still replays its own order
        HttpResponse<String> repeat = trader1.postJson("/orders", order("acc-1", "c-sec-key"), "Idempotency-Key", key);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(placed(repeat)).isEqualTo(placed(first));
    }

    @Test
    void shouldScopeBatchKeysByTheCallerSoTwoPrincipalsNeverShareABatch() {
        // given trader-1 posted a keyed batch for acc-1
        String key = "batch-" + UUID.randomUUID();
        String batch = "[" + order("acc-1", "c-sec-bk-1") + "," + order("acc-1", "c-sec-bk-2") + "]";
        HttpResponse<String> first = trader1.postJson("/orders/batch", batch, "Idempotency-Key", key);

        // when ops (who may act for acc-1 too) posts the very same batch with the same key
        HttpResponse<String> other =
                trader1.as(TestIssuer.OPS).postJson("/orders/batch", batch, "Idempotency-Key", key);

        // then it is its own batch: written, with other order ids, not trader-1's answer replayed
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(other.statusCode()).isEqualTo(202);
        assertThat(other.headers().firstValue("Idempotent-Replayed")).isEmpty();
        Set<String> firstIds = orderIds(first);
        Set<String> otherIds = orderIds(other);
        assertThat(otherIds).hasSize(2).doesNotContainAnyElementsOf(firstIds);
        assertThat(topic().commands())
                .filteredOn(c -> firstIds.contains(c.getOrderId()) || otherIds.contains(c.getOrderId()))
                .hasSize(4);
        // and trader-1's repeat replays its own
        HttpResponse<String> repeat = trader1.postJson("/orders/batch", batch, "Idempotency-Key", key);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(orderIds(repeat)).isEqualTo(firstIds);
    }

    @ParameterizedTest
    @EnumSource(TestTokens.Hostile.class)
    void shouldAnswer401ToEveryHostileTokenAndWriteNothing(TestTokens.Hostile kind) {
        // given a token with exactly one defect, for an account it names, with every scope
        String token = TestIssuer.testTokens()
                .hostile(kind, "mallory", List.of("acc-1"), "orders:write", "orders:read", "orders:admin");
        Http mallory = trader1.withToken(token);
        String orderId = placed(trader1.postJson("/orders", order("acc-1", "c-sec-victim-" + kind)));

        // when / then
        assertThat(assertNothingWritten(() -> List.of(
                        mallory.postJson("/orders", order("acc-1", "c-sec-hostile-" + kind)),
                        mallory.postJson("/orders/batch", "[" + order("acc-1", "c-sec-hostile-b-" + kind) + "]"),
                        mallory.postJson("/orders/" + orderId + "/cancel", ""))))
                .allSatisfy(response -> {
                    assertThat(response.statusCode()).as(kind.name()).isEqualTo(401);
                    assertThat(response.headers().firstValue("WWW-Authenticate"))
                            .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
                    assertProblem(response, "urn:orderpipeline:problem:unauthorized");
                });
        // and the same token without its defect is accepted: the refusal is for the defect
        String valid = TestIssuer.testTokens()
                .valid("mallory", List.of("acc-1"), "orders:write", "orders:read", "orders:admin");
        assertThat(trader1.withToken(valid)
                        .postJson("/orders", order("acc-1", "c-sec-fixed-" + kind))
                        .statusCode())
                .isEqualTo(202);
    }

    private static void assertProblem(HttpResponse<String> response, String type) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Http.json(response).get("type").stringValue()).isEqualTo(type);
        assertThat(Http.json(response).get("status").intValue()).isEqualTo(response.statusCode());
    }

    private static Set<String> orderIds(HttpResponse<String> batch) {
        Set<String> ids = new java.util.HashSet<>();
        Http.json(batch)
                .get("items")
                .forEach(item -> ids.add(item.get("orderId").stringValue()));
        return ids;
    }
}
