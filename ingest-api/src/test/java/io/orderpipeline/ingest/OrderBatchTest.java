package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code POST /orders/batch} end to end, on a real broker and a real schema registry. */
@SpringBootTest(
        classes = IngestApiApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApiApplication.CONFIG_NAME,
            "orders.topics.commands=" + OrderBatchTest.TOPIC
        })
class OrderBatchTest {

    static final String TOPIC = "commands.batch";
    static CommandTopicReader topic;

    @Value("${local.server.port}")
    int port;

    Http http;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestBroker::shared);
        registry.add("orders.registry.url", TestRegistry::url);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer::issuerUri);
    }

    @BeforeAll
    static void openTopic() {
        topic = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), TOPIC);
    }

    @AfterAll
    static void closeTopic() {
        topic.close();
    }

    @BeforeEach
    void ready() {
        // ops (orders:admin) acts for every account: these tests spread their orders over many
        http = new Http(port).as(TestIssuer.OPS);
        http.awaitReady();
    }

    @Test
    void shouldWriteTheValidOrdersOfAMixedBatchInOneTransactionAndListEachItem() {
        // given five orders of three accounts, two of them invalid
        String run = UUID.randomUUID().toString();
        List<String> orders = List.of(
                order("acc-b1", run + "-0"),
                order("acc-b2", run + "-1").replace("\"quantity\":100", "\"quantity\":0"),
                order("acc-b3", run + "-2"),
                order("acc-b1", run + "-3").replace("\"BUY\"", "\"HOLD\"").replace("\"AAPL\"", "\"aapl\""),
                order("acc-b2", run + "-4"));

        // when
        HttpResponse<String> response = http.postJson("/orders/batch", array(orders));

        // then the answer lists every item in request order
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = Http.json(response);
        assertThat(body.get("accepted").intValue()).isEqualTo(3);
        assertThat(body.get("rejected").intValue()).isEqualTo(2);
        JsonNode items = body.get("items");
        assertThat(items).hasSize(5);
        for (int i : new int[] {0, 2, 4}) {
            JsonNode item = items.get(i);
            assertThat(item.get("index").intValue()).isEqualTo(i);
            assertThat(item.get("status").stringValue()).isEqualTo("PENDING");
            assertThat(item.get("location").stringValue())
                    .isEqualTo("/orders/" + item.get("orderId").stringValue());
            assertThat(item.has("problem")).isFalse();
        }
        assertThat(items.get(1).get("status").stringValue()).isEqualTo("REJECTED");
        assertThat(items.get(1).has("orderId")).isFalse();
        assertThat(items.get(1).at("/problem/status").intValue()).isEqualTo(400);
        assertThat(items.get(1).at("/problem/type").stringValue())
                .isEqualTo("urn:orderpipeline:problem:invalid-request");
        assertThat(fields(items.get(1))).containsExactly("quantity");
        assertThat(fields(items.get(3))).containsExactlyInAnyOrder("symbol", "side");

        // and only the valid orders are on the topic, each under its order id, keyed by its account
        Map<String, ConsumerRecord<String, OrderCommand>> written = writtenOf(run);
        assertThat(written.keySet()).containsExactlyInAnyOrder(run + "-0", run + "-2", run + "-4");
        for (int i : new int[] {0, 2, 4}) {
            ConsumerRecord<String, OrderCommand> record = written.get(run + "-" + i);
            String orderId = items.get(i).get("orderId").stringValue();
            assertThat(record.value().getOrderId()).isEqualTo(orderId);
            assertThat(record.value().getType()).isEqualTo(CommandType.PLACE);
            assertThat(record.key()).isEqualTo(record.value().getAccountId());
            assertThat(OrderRouting.isRoutedTo(
                            UUID.fromString(orderId), record.value().getAccountId()))
                    .isTrue();
            assertThat(record.value().getRequestedAt().toString())
                    .isEqualTo(body.get("acceptedAt").stringValue());
        }
    }

    @Test
    void shouldAnswer400WithEveryItemsProblemAndWriteNothingWhenNoOrderIsValid() {
        // given
        String run = UUID.randomUUID().toString();
        List<String> orders = List.of(
                order("acc-b1", run + "-0").replace("\"LIMIT\"", "\"MARKET\""), "42", "{\"accountId\":\"acc-b1\"}");

        // when
        HttpResponse<String> response = http.postJson("/orders/batch", array(orders));

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Http.json(response);
        assertThat(problem.get("type").stringValue()).isEqualTo("urn:orderpipeline:problem:invalid-request");
        assertThat(problem.get("accepted").intValue()).isZero();
        assertThat(problem.get("rejected").intValue()).isEqualTo(3);
        assertThat(problem.get("items"))
                .allSatisfy(item -> assertThat(item.get("status").stringValue()).isEqualTo("REJECTED"));
        assertThat(fields(problem.get("items").get(0))).containsExactly("price");
        assertThat(fields(problem.get("items").get(1))).containsExactly("body");
        assertThat(fields(problem.get("items").get(2))).contains("clientOrderId", "symbol", "quantity");
        assertThat(writtenOf(run)).isEmpty();
    }

    @Test
    void shouldReplayARepeatedKeyWithTheSameOrderIdsAndRefuseAnotherBodyWithoutWriting() {
        // given a keyed batch that was accepted
        String run = UUID.randomUUID().toString();
        String key = "batch-key-" + run;
        String batch = array(List.of(order("acc-b1", run + "-0"), "{}", order("acc-b2", run + "-2")));
        HttpResponse<String> first = http.postJson("/orders/batch", batch, "Idempotency-Key", key);
        assertThat(first.statusCode()).isEqualTo(202);

        // when the same batch is posted again with the same key, and another batch with it
        HttpResponse<String> repeat = http.postJson("/orders/batch", batch, "Idempotency-Key", key);
        HttpResponse<String> other = http.postJson(
                "/orders/batch",
                array(List.of(order("acc-b1", run + "-0"), "{}", order("acc-b2", run + "-other"))),
                "Idempotency-Key",
                key);

        // then the repeat is the original answer and writes nothing; the other body is refused
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(Http.json(repeat)).isEqualTo(Http.json(first));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Map<String, List<OrderCommand>> written = topic.commands().stream()
                .filter(c ->
                        c.getClientOrderId() != null && c.getClientOrderId().startsWith(run))
                .collect(Collectors.groupingBy(OrderCommand::getClientOrderId));
        assertThat(written.keySet()).containsExactlyInAnyOrder(run + "-0", run + "-2");
        assertThat(written.values()).allSatisfy(commands -> assertThat(commands).hasSize(1));
        assertThat(written.get(run + "-0").get(0).getOrderId())
                .isEqualTo(Http.json(first).at("/items/0/orderId").stringValue());
        assertThat(written.get(run + "-0").get(0).getIdempotencyKey()).isEqualTo(key);
    }

    @Test
    void shouldTakeAThousandOrdersAndRefuseOneMoreWritingNothing() {
        // given
        String run = UUID.randomUUID().toString();
        IntFunction<String> order = i -> order("acc-b" + (i % 17), run + "-" + i);
        String thousand = array(IntStream.range(0, 1000).mapToObj(order).toList());
        String tooMany = array(IntStream.range(1000, 2001).mapToObj(order).toList());

        // when
        HttpResponse<String> accepted = http.postJson("/orders/batch", thousand);
        HttpResponse<String> refused = http.postJson("/orders/batch", tooMany);
        HttpResponse<String> empty = http.postJson("/orders/batch", "[]");
        HttpResponse<String> notArray = http.postJson("/orders/batch", order("acc-b1", run + "-single"));

        // then
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(Http.json(accepted).get("accepted").intValue()).isEqualTo(1000);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(Http.json(refused).get("type").stringValue()).isEqualTo("urn:orderpipeline:problem:batch-too-large");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(notArray.statusCode()).isEqualTo(400);
        assertThat(fields(Http.json(notArray))).containsExactly("body");
        assertThat(writtenOf(run).keySet())
                .hasSize(1000)
                .allSatisfy(clientOrderId -> assertThat(Integer.parseInt(clientOrderId.substring(run.length() + 1)))
                        .isLessThan(1000));
    }

    static String order(String accountId, String clientOrderId) {
        return Http.limitOrder(clientOrderId).replace("acc-1", accountId);
    }

    static String array(List<String> orders) {
        return "[" + String.join(",", orders) + "]";
    }

    private static List<String> fields(JsonNode item) {
        JsonNode errors = item.has("problem") ? item.at("/problem/errors") : item.get("errors");
        List<String> fields = new ArrayList<>();
        errors.forEach(e -> fields.add(e.get("field").stringValue()));
        return fields;
    }

    /** The committed commands of orders whose clientOrderId starts with {@code run}, by clientOrderId. */
    private static Map<String, ConsumerRecord<String, OrderCommand>> writtenOf(String run) {
        return topic.readAll().stream()
                .filter(r -> r.value().getClientOrderId() != null
                        && r.value().getClientOrderId().startsWith(run))
                .collect(Collectors.toMap(r -> r.value().getClientOrderId(), r -> r));
    }
}
