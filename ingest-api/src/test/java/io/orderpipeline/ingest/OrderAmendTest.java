package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestOnBroker;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code PATCH /orders/{id}} (and its alias {@code POST /orders/{id}/replace}) end to end, and the {@code principal} of
 * every command: real tokens of the real issuer, real HTTP, a real broker with a three-partition commands topic, read
 * back {@code read_committed}.
 */
@SpringBootTest(
        classes = IngestApiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApiApplication.CONFIG_NAME,
            "orders.topics.commands=" + OrderAmendTest.TOPIC,
            "orders.topics.idempotency=idempotency.amend"
        })
class OrderAmendTest extends IngestOnBroker {

    static final String TOPIC = "commands.amend";

    @Test
    void shouldWriteAnAmendToThePartitionOfTheOrdersPlaceWithItsAccountAndPrincipal() {
        // given an order of trader-1 for acc-2
        String orderId = placed(trader1.postJson("/orders", order("acc-2", "c-amend-1")));

        // when it amends quantity and price (a decimal string), then the price only (a JSON number) through the alias
        HttpResponse<String> both = trader1.patchJson("/orders/" + orderId, "{\"quantity\":150,\"price\":\"187.30\"}");
        HttpResponse<String> price = trader1.postJson("/orders/" + orderId + "/replace", "{\"price\":187.5}");

        // then both are accepted as requests
        for (HttpResponse<String> response : List.of(both, price)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + orderId);
            assertThat(Http.json(response).get("status").stringValue()).isEqualTo("AMEND_REQUESTED");
        }
        // and on the topic: PLACE keyed by account, AMENDs keyed by order id, all in one partition, all by trader-1
        List<ConsumerRecord<String, OrderCommand>> records = recordsOf(orderId);
        assertThat(records)
                .extracting(r -> r.value().getType())
                .containsExactly(CommandType.PLACE, CommandType.AMEND, CommandType.AMEND);
        assertThat(records)
                .extracting(ConsumerRecord::partition)
                .containsOnly(records.get(0).partition());
        assertThat(records.get(0).partition()).isEqualTo(OrderRouting.partitionOf(UUID.fromString(orderId), 3));
        assertThat(records).extracting(r -> r.value().getPrincipal()).containsOnly(TestIssuer.TRADER_1);
        assertThat(records.subList(1, 3)).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(orderId);
            assertThat(r.value().getAccountId()).isEqualTo("acc-2");
        });
        OrderCommand first = records.get(1).value();
        assertThat(first.getCommandId())
                .isEqualTo(Http.json(both).get("commandId").stringValue());
        assertThat(first.getQuantity()).isEqualTo(150);
        assertThat(first.getPrice()).isEqualByComparingTo(new BigDecimal("187.30"));
        OrderCommand second = records.get(2).value();
        assertThat(second.getQuantity()).as("0 keeps the quantity").isZero();
        assertThat(second.getPrice()).isEqualByComparingTo(new BigDecimal("187.5"));
    }

    @Test
    void shouldCarryThePrincipalOnEveryCommand() {
        // given / when ops places for acc-3, trader-1 posts a batch and cancels its order
        String opsOrder = placed(trader1.as(TestIssuer.OPS).postJson("/orders", order("acc-3", "c-amend-ops")));
        HttpResponse<String> batch = trader1.postJson(
                "/orders/batch", "[" + order("acc-1", "c-amend-b1") + "," + order("acc-2", "c-amend-b2") + "]");
        String batchOrder = Http.json(batch).get("items").get(1).get("orderId").stringValue();
        assertThat(trader1.postJson("/orders/" + batchOrder + "/cancel", "").statusCode())
                .isEqualTo(202);

        // then every command names who sent it
        assertThat(commandsOf(opsOrder)).extracting(OrderCommand::getPrincipal).containsExactly(TestIssuer.OPS);
        assertThat(commandsOf(batchOrder))
                .extracting(OrderCommand::getType, OrderCommand::getPrincipal)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CommandType.PLACE, TestIssuer.TRADER_1),
                        org.assertj.core.groups.Tuple.tuple(CommandType.CANCEL, TestIssuer.TRADER_1));
    }

    @Test
    void shouldAnswer404ForAnAmendOfAnotherAccountsOrderAndWriteNothing() {
        // given an order of trader-1 (acc-1)
        String orderId = placed(trader1.postJson("/orders", order("acc-1", "c-amend-foreign")));
        Http trader2 = trader1.as(TestIssuer.TRADER_2);

        // when trader-2 amends it
        List<HttpResponse<String>> refused = assertNothingWritten(() -> List.of(
                trader2.patchJson("/orders/" + orderId, "{\"quantity\":10}"),
                trader2.postJson("/orders/" + orderId + "/replace", "{\"quantity\":10}")));

        // then 404, as for an unknown id
        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(Http.json(response).get("type").stringValue())
                    .isEqualTo("urn:orderpipeline:problem:order-not-found");
        });
        // and ops may amend any order: its AMEND names no account
        assertThat(trader1.as(TestIssuer.OPS)
                        .patchJson("/orders/" + orderId, "{\"quantity\":10}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(commandsOf(orderId))
                .filteredOn(c -> c.getType() == CommandType.AMEND)
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.getAccountId()).isNull();
                    assertThat(c.getPrincipal()).isEqualTo(TestIssuer.OPS);
                });
    }

    @Test
    void shouldAnswer400NamingEveryBadFieldOfAnAmendAndWriteNothing() {
        // given an order of trader-1
        String orderId = placed(trader1.postJson("/orders", order("acc-1", "c-amend-bad")));

        // when
        List<HttpResponse<String>> refused = assertNothingWritten(() -> List.of(
                trader1.patchJson("/orders/" + orderId, "{}"),
                trader1.patchJson("/orders/" + orderId, "{\"quantity\":0,\"price\":\"abc\",\"qty\":5}"),
                trader1.patchJson("/orders/" + orderId, "{\"quantity\":1.5}"),
                trader1.patchJson("/orders/not-an-order", "{\"quantity\":5}")));

        // then
        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        });
        assertThat(fields(refused.get(0))).containsExactly("body");
        assertThat(fields(refused.get(1))).containsExactlyInAnyOrder("qty", "quantity", "price");
        assertThat(fields(refused.get(2))).containsExactly("quantity");
        assertThat(fields(refused.get(3))).containsExactly("orderId");
    }

    @Test
    void shouldAnswer401WithoutATokenAnd403WithoutTheWriteScopeAndWriteNothing() {
        // given an order of trader-1
        String orderId = placed(trader1.postJson("/orders", order("acc-1", "c-amend-anon")));
        Http readOnly = trader1.withToken(TestIssuer.token(TestIssuer.TRADER_1, "orders:read"));

        // when
        List<HttpResponse<String>> refused = assertNothingWritten(() -> List.of(
                trader1.anonymous().patchJson("/orders/" + orderId, "{\"quantity\":5}"),
                trader1.anonymous().postJson("/orders/" + orderId + "/replace", "{\"quantity\":5}"),
                readOnly.patchJson("/orders/" + orderId, "{\"quantity\":5}")));

        // then
        assertThat(refused).extracting(HttpResponse::statusCode).containsExactly(401, 401, 403);
        assertThat(refused.get(0).headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    private static List<String> fields(HttpResponse<String> problem) {
        return Http.json(problem)
                .get("errors")
                .valueStream()
                .map(error -> error.get("field").stringValue())
                .toList();
    }

    private static List<ConsumerRecord<String, OrderCommand>> recordsOf(String orderId) {
        return topic().readAll().stream()
                .filter(r -> r.value().getOrderId().equals(orderId))
                .toList();
    }
}
