package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestInstance;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * The broker goes away under load and comes back: every 2xx a client saw is a command on the topic, no 5xx is, 5xx
 * come within the configured bound with Retry-After, and the service recovers without being restarted.
 */
class KafkaOutageTest {

    /** What one client saw for one request. */
    record Outcome(
            String clientOrderId,
            int status,
            String orderId,
            String problemType,
            Optional<String> retryAfter,
            long millis) {}

    @Test
    void shouldAnswer2xxOnlyForWrittenCommandsAnd503WhileTheBrokerIsDown() throws Exception {
        // given an instance with short Kafka bounds, on a broker of its own, under steady load
        EmbeddedKafkaKraftBroker broker = TestBroker.startNew();
        Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        Queue<Throwable> clientErrors = new ConcurrentLinkedQueue<>();
        Duration bound;
        try (IngestInstance ingest = IngestInstance.start(
                broker.getBrokersAsString(),
                TestRegistry.url(),
                "orders.ingest.producer.max-block=500ms",
                "orders.ingest.producer.request-timeout=1s",
                "orders.ingest.producer.delivery-timeout=2s",
                "orders.ingest.producer.commit-timeout=1s",
                "orders.ingest.producer.retry-after=1s",
                "orders.ingest.idempotency.catch-up-timeout=1s")) {
            IngestSettings settings = ingest.bean(IngestSettings.class);
            bound = settings.producer().bound().plus(settings.idempotency().catchUpTimeout());
            Http http = ingest.http();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sequence = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        int n = sequence.incrementAndGet();
                        String clientOrderId = "c-outage-" + n;
                        String[] headers = n % 4 == 0 ? new String[] {"Idempotency-Key", "k-" + n} : new String[0];
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> response =
                                    http.postJson("/orders", Http.limitOrder(clientOrderId), headers);
                            boolean ok = response.statusCode() / 100 == 2;
                            outcomes.add(new Outcome(
                                    clientOrderId,
                                    response.statusCode(),
                                    ok ? Http.json(response).get("orderId").stringValue() : null,
                                    ok ? null : Http.json(response).get("type").stringValue(),
                                    response.headers().firstValue("Retry-After"),
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                        } catch (RuntimeException e) {
                            clientErrors.add(e);
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> count(outcomes, 2) >= 30);

            // when the broker stops
            BrokerServer server =
                    broker.getCluster().brokers().values().iterator().next();
            server.shutdown();
            server.awaitShutdown();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(outcomes, 5) >= 10);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> http.get("/actuator/health/readiness").statusCode() == 503);
            long acceptedBeforeRestart = count(outcomes, 2);

            // and comes back on the same port
            server.startup();
            await().atMost(Duration.ofSeconds(120)).until(() -> count(outcomes, 2) >= acceptedBeforeRestart + 30);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> http.get("/actuator/health/readiness").statusCode() == 200);
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
            assertThat(all)
                    .extracting(Outcome::status)
                    .isSubsetOf(200, 202, 503)
                    .contains(202, 503);
            List<String> acceptedButMissing = all.stream()
                    .filter(o -> o.status() / 100 == 2)
                    .filter(o -> written.getOrDefault(o.clientOrderId(), List.of()).stream()
                            .noneMatch(c -> c.getOrderId().equals(o.orderId())))
                    .map(Outcome::clientOrderId)
                    .toList();
            assertThat(acceptedButMissing)
                    .as("2xx answers whose command is not on the topic")
                    .isEmpty();
            List<String> duplicated = written.entrySet().stream()
                    .filter(e -> e.getValue().size() > 1)
                    .map(Map.Entry::getKey)
                    .toList();
            assertThat(duplicated).as("commands written twice").isEmpty();
            List<Outcome> refused = all.stream().filter(o -> o.status() == 503).toList();
            assertThat(refused).allSatisfy(o -> {
                assertThat(o.retryAfter()).hasValue("1");
                // max-block + delivery-timeout + commit-timeout + catch-up, with room for a loaded machine
                assertThat(o.millis()).isLessThanOrEqualTo(bound.toMillis() + 1_000);
            });
            List<String> refusedButWritten = refused.stream()
                    .filter(o -> !o.problemType().endsWith("outcome-unknown"))
                    .map(Outcome::clientOrderId)
                    .filter(written::containsKey)
                    .toList();
            assertThat(refusedButWritten)
                    .as("503 answers whose command is on the topic")
                    .isEmpty();
            List<String> unknownAndWritten = refused.stream()
                    .filter(o -> o.problemType().endsWith("outcome-unknown"))
                    .map(Outcome::clientOrderId)
                    .filter(written::containsKey)
                    .toList();
            System.out.printf(
                    "outage: %d requests, %d accepted, %d refused (%d outcome-unknown, %d of those written)%n",
                    all.size(),
                    all.size() - refused.size(),
                    refused.size(),
                    refused.stream()
                            .filter(o -> o.problemType().endsWith("outcome-unknown"))
                            .count(),
                    unknownAndWritten.size());
            List<String> told = all.stream().map(Outcome::clientOrderId).toList();
            assertThat(written.keySet().stream()
                            .filter(id -> !told.contains(id))
                            .toList())
                    .as("commands on the topic that no client was told about")
                    .isEmpty();
        } finally {
            broker.destroy();
        }
    }

    private static long count(Queue<Outcome> outcomes, int statusClass) {
        return outcomes.stream().filter(o -> o.status() / 100 == statusClass).count();
    }
}
