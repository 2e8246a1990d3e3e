package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestInstance;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import kafka.server.BrokerServer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * Batches posted while the broker goes away and comes back: every order of a 2xx batch is on the topic ({@code
 * read_committed}), no order of a refused batch is, and a batch is never written in part.
 */
class BatchOutageTest {

    static final int ORDERS_PER_BATCH = 25;

    /** What one client saw for one batch: the status, and per valid order its clientOrderId and order id. */
    record Outcome(int batch, int status, String problemType, Map<String, String> orderIds, List<String> rejected) {}

    @Test
    void shouldAnswer2xxOnlyForBatchesWhollyWrittenAndWriteNothingOfARefusedOne() throws Exception {
        // given an instance with short Kafka bounds, on a broker of its own, under a steady load of batches
        EmbeddedKafkaKraftBroker broker = TestBroker.startNew();
        Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        Queue<Throwable> clientErrors = new ConcurrentLinkedQueue<>();
        try (IngestInstance ingest = IngestInstance.start(
                broker.getBrokersAsString(),
                TestRegistry.url(),
                "orders.ingest.producer.max-block=500ms",
                "orders.ingest.producer.request-timeout=1s",
                "orders.ingest.producer.delivery-timeout=2s",
                "orders.ingest.producer.commit-timeout=1s",
                "orders.ingest.producer.retry-after=1s",
                "orders.ingest.idempotency.catch-up-timeout=1s")) {
            // ops (orders:admin) acts for every account
            Http http = ingest.http().as(TestIssuer.OPS);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sequence = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(3);
            for (int c = 0; c < 3; c++) {
                clients.submit(() -> {
                    while (running.get()) {
                        int batch = sequence.incrementAndGet();
                        String[] headers =
                                batch % 3 == 0 ? new String[] {"Idempotency-Key", "bk-" + batch} : new String[0];
                        try {
                            outcomes.add(outcome(batch, http.postJson("/orders/batch", batch(batch), headers)));
                        } catch (RuntimeException e) {
                            clientErrors.add(e);
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count(outcomes, 2) >= 10);

            // when the broker stops
            BrokerServer server =
                    broker.getCluster().brokers().values().iterator().next();
            server.shutdown();
            server.awaitShutdown();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(outcomes, 5) >= 5);
            long acceptedBeforeRestart = count(outcomes, 2);

            // and comes back on the same port
            server.startup();
            await().atMost(Duration.ofSeconds(120)).until(() -> count(outcomes, 2) >= acceptedBeforeRestart + 10);
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        // then
        try (CommandTopicReader topic =
                new CommandTopicReader(broker.getBrokersAsString(), TestRegistry.url(), "orders.commands")) {
            Map<String, List<OrderCommand>> written =
                    topic.commands().stream().collect(Collectors.groupingBy(OrderCommand::getClientOrderId));
            List<Outcome> all = new ArrayList<>(outcomes);
            assertThat(clientErrors).isEmpty();
            assertThat(all).extracting(Outcome::status).isSubsetOf(202, 503).contains(202, 503);
            List<Outcome> accepted =
                    all.stream().filter(o -> o.status() / 100 == 2).toList();
            assertThat(accepted)
                    .allSatisfy(o -> o.orderIds()
                            .forEach((clientOrderId, orderId) -> assertThat(
                                            written.getOrDefault(clientOrderId, List.of()))
                                    .as("order %s of accepted batch %d", clientOrderId, o.batch())
                                    .singleElement()
                                    .satisfies(c -> assertThat(c.getOrderId()).isEqualTo(orderId))));
            List<Outcome> refused = all.stream()
                    .filter(o -> o.status() == 503 && !o.problemType().endsWith("outcome-unknown"))
                    .toList();
            assertThat(refused)
                    .isNotEmpty()
                    .allSatisfy(o -> assertThat(written.keySet())
                            .as("orders of refused batch %d on the topic", o.batch())
                            .doesNotContainAnyElementsOf(prefixes(o.batch())));
            assertThat(accepted)
                    .allSatisfy(o -> assertThat(written.keySet()).doesNotContainAnyElementsOf(o.rejected()));
            Map<Integer, Long> writtenPerBatch = written.keySet().stream()
                    .collect(Collectors.groupingBy(BatchOutageTest::batchOf, Collectors.counting()));
            assertThat(writtenPerBatch.values())
                    .as("valid orders written per batch: all of a batch or none")
                    .allSatisfy(n -> assertThat(n).isEqualTo(ORDERS_PER_BATCH - 1L));
            System.out.printf(
                    "batch outage: %d batches, %d accepted, %d refused (%d outcome-unknown)%n",
                    all.size(),
                    accepted.size(),
                    all.size() - accepted.size(),
                    all.stream()
                            .filter(o ->
                                    o.problemType() != null && o.problemType().endsWith("outcome-unknown"))
                            .count());
        } finally {
            broker.destroy();
        }
    }

    /** {@value #ORDERS_PER_BATCH} orders, the last one invalid (quantity 0). */
    private static String batch(int batch) {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS_PER_BATCH; i++) {
            String order = OrderBatchTest.order("acc-o" + (i % 5), "c-bo-" + batch + "-" + i);
            orders.add(i == ORDERS_PER_BATCH - 1 ? order.replace("\"quantity\":100", "\"quantity\":0") : order);
        }
        return OrderBatchTest.array(orders);
    }

    private static List<String> prefixes(int batch) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ORDERS_PER_BATCH; i++) {
            ids.add("c-bo-" + batch + "-" + i);
        }
        return ids;
    }

    private static int batchOf(String clientOrderId) {
        return Integer.parseInt(clientOrderId.split("-")[2]);
    }

    private static Outcome outcome(int batch, HttpResponse<String> response) {
        JsonNode body = Http.json(response);
        if (response.statusCode() / 100 != 2) {
            return new Outcome(batch, response.statusCode(), body.get("type").stringValue(), Map.of(), List.of());
        }
        Map<String, String> orderIds = new HashMap<>();
        List<String> rejected = new ArrayList<>();
        body.get("items").forEach(item -> {
            String clientOrderId = "c-bo-" + batch + "-" + item.get("index").intValue();
            if (item.get("status").stringValue().equals("PENDING")) {
                orderIds.put(clientOrderId, item.get("orderId").stringValue());
            } else {
                rejected.add(clientOrderId);
            }
        });
        assertThat(orderIds).hasSize(ORDERS_PER_BATCH - 1);
        return new Outcome(batch, response.statusCode(), null, orderIds, rejected);
    }

    private static long count(Queue<Outcome> outcomes, int statusClass) {
        return outcomes.stream().filter(o -> o.status() / 100 == statusClass).count();
    }
}
