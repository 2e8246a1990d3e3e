package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestInstance;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotency-Key semantics that one JVM's memory cannot give: across a restart and across instances running side by
 * side, all on one real broker.
 */
class IdempotencyAcrossInstancesTest {

    static CommandTopicReader topic;

    @BeforeAll
    static void openTopic() {
        topic = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), "orders.commands");
    }

    @AfterAll
    static void closeTopic() {
        topic.close();
    }

    @Test
    void shouldHonourAKeyAfterARestartAndOnAnotherInstance() {
        // given a key accepted by an instance that is then stopped
        String key = "key-" + UUID.randomUUID();
        String orderId;
        try (IngestInstance first = start()) {
            HttpResponse<String> accepted =
                    first.http().postJson("/orders", Http.limitOrder("c-restart"), "Idempotency-Key", key);
            assertThat(accepted.statusCode()).isEqualTo(202);
            orderId = Http.json(accepted).get("orderId").stringValue();
        }

        try (IngestInstance restarted = start();
                IngestInstance other = start()) {
            // when
            HttpResponse<String> afterRestart =
                    restarted.http().postJson("/orders", Http.limitOrder("c-restart"), "Idempotency-Key", key);
            HttpResponse<String> elsewhere =
                    other.http().postJson("/orders", Http.limitOrder("c-restart"), "Idempotency-Key", key);
            HttpResponse<String> otherBody = other.http()
                    .postJson("/orders", Http.limitOrder("c-restart").replace("AAPL", "MSFT"), "Idempotency-Key", key);

            // then
            assertThat(afterRestart.statusCode()).isEqualTo(200);
            assertThat(Http.json(afterRestart).get("orderId").stringValue()).isEqualTo(orderId);
            assertThat(elsewhere.statusCode()).isEqualTo(200);
            assertThat(Http.json(elsewhere).get("orderId").stringValue()).isEqualTo(orderId);
            assertThat(otherBody.statusCode()).isEqualTo(422);
            assertThat(commandsOf(orderId)).hasSize(1);
        }
    }

    @Test
    void shouldGiveConcurrentRequestsOnTwoInstancesOneOrderId() throws Exception {
        // given two instances and a burst of identical keyed requests spread over both
        String key = "key-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (IngestInstance a = start();
                IngestInstance b = start()) {
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();

            // when
            for (int i = 0; i < 16; i++) {
                Http http = (i % 2 == 0 ? a : b).http();
                responses.add(CompletableFuture.supplyAsync(
                        () -> http.postJson("/orders", Http.limitOrder("c-race"), "Idempotency-Key", key), clients));
            }
            CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get();

            // then every client was told the same order, and whatever reached the topic is that one order
            Set<String> orderIds = responses.stream()
                    .map(CompletableFuture::join)
                    .peek(r -> assertThat(r.statusCode()).isIn(200, 202))
                    .map(r -> Http.json(r).get("orderId").stringValue())
                    .collect(Collectors.toSet());
            assertThat(orderIds).hasSize(1);
            List<OrderCommand> written = commandsOf(orderIds.iterator().next());
            // at most one PLACE per instance can race past the store (documented window); all are the same order
            assertThat(written).hasSizeBetween(1, 2);
            assertThat(written.stream().map(OrderCommand::getCommandId).distinct())
                    .hasSize(1);
        } finally {
            clients.shutdown();
        }
    }

    private static IngestInstance start() {
        return IngestInstance.start(TestBroker.shared(), TestRegistry.url());
    }

    private static List<OrderCommand> commandsOf(String orderId) {
        return topic.commands().stream()
                .filter(c -> c.getOrderId().equals(orderId))
                .toList();
    }
}
