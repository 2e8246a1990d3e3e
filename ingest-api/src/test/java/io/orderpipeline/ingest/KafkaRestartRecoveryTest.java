package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.ingest.support.BrokerProcess;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestInstance;
import io.orderpipeline.ingest.support.TestRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A real broker (a child JVM) taken away for longer than every client timeout and brought back on the same port and
 * data directory: the committers, the idempotency reader and the topic provisioning heal by themselves, with no
 * restart of the service.
 */
class KafkaRestartRecoveryTest {

    @Test
    void shouldRecoverWithoutARestartAfterTheBrokerWasStoppedLongerThanTheClientTimeouts() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start("restart");
                IngestInstance ingest = IngestInstance.start(broker.bootstrapServers(), TestRegistry.url())) {
            // given an instance that accepted a keyed order, under steady load (so transactions are open at the stop)
            Http http = ingest.http();
            IngestSettings settings = ingest.bean(IngestSettings.class);
            String keyBefore = "k-" + UUID.randomUUID();
            HttpResponse<String> acceptedBefore =
                    http.postJson("/orders", Http.limitOrder("c-restart-before"), "Idempotency-Key", keyBefore);
            assertThat(acceptedBefore.statusCode()).isEqualTo(202);
            Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService client = Executors.newSingleThreadExecutor();
            AtomicInteger n = new AtomicInteger();
            client.submit(() -> {
                while (loading.get()) {
                    int i = n.incrementAndGet();
                    String[] key = i % 2 == 0 ? new String[] {"Idempotency-Key", "k-load-" + i} : new String[0];
                    statuses.add(http.postJson("/orders", Http.limitOrder("c-restart-load-" + i), key)
                            .statusCode());
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.contains(202));

            // when the broker stops for longer than the transaction timeout (the longest client timeout)
            broker.stop();
            Duration outage = settings.producer().transactionTimeout().plusSeconds(5);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> http.get("/actuator/health/readiness").statusCode() == 503);
            await().during(outage)
                    .atMost(outage.plusSeconds(30))
                    .until(() -> http.get("/actuator/health/readiness").statusCode() == 503);
            int refusedDuringOutage = statuses.size();
            assertThat(statuses).contains(503);

            // and comes back on the same port and data directory
            broker.restart();

            // then the same instance is ready again and takes plain and keyed orders; keys are still remembered
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> http.get("/actuator/health/readiness").statusCode() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() > refusedDuringOutage + 10);
            loading.set(false);
            client.shutdown();
            assertThat(client.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(statuses).isSubsetOf(200, 202, 503);
            assertThat(http.postJson("/orders", Http.limitOrder("c-restart-after"))
                            .statusCode())
                    .isEqualTo(202);
            String keyAfter = "k-" + UUID.randomUUID();
            HttpResponse<String> keyed =
                    http.postJson("/orders", Http.limitOrder("c-restart-after-k"), "Idempotency-Key", keyAfter);
            assertThat(keyed.statusCode()).isEqualTo(202);
            assertReplayed(
                    http.postJson("/orders", Http.limitOrder("c-restart-after-k"), "Idempotency-Key", keyAfter), keyed);
            assertReplayed(
                    http.postJson("/orders", Http.limitOrder("c-restart-before"), "Idempotency-Key", keyBefore),
                    acceptedBefore);
        }
    }

    @Test
    void shouldStartWhileKafkaIsAwayAndHealWhenItComes() {
        // given no broker yet, and a provisioning that gives up after 2 s each time
        try (BrokerProcess broker = BrokerProcess.notStarted("late");
                IngestInstance ingest = IngestInstance.startNotReady(
                        broker.bootstrapServers(), TestRegistry.url(), "orders.startup.timeout=2s")) {
            Http http = ingest.http();

            // when requests come: the instance is up and refuses them, and its provisioning keeps trying
            HttpResponse<String> refused = http.postJson("/orders", Http.limitOrder("c-late-refused"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String health = http.get("/actuator/health").body();
                return health.contains("gave up waiting") && !health.contains("attempt 1;");
            });

            // and the broker comes
            broker.restart();

            // then it heals by itself: topics created, ready, plain and keyed orders taken, repeats replayed
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> http.get("/actuator/health/readiness").statusCode() == 200);
            assertThat(http.postJson("/orders", Http.limitOrder("c-late-plain")).statusCode())
                    .isEqualTo(202);
            String key = "k-" + UUID.randomUUID();
            HttpResponse<String> keyed =
                    http.postJson("/orders", Http.limitOrder("c-late-keyed"), "Idempotency-Key", key);
            assertThat(keyed.statusCode()).isEqualTo(202);
            assertReplayed(http.postJson("/orders", Http.limitOrder("c-late-keyed"), "Idempotency-Key", key), keyed);
        }
    }

    private static void assertReplayed(HttpResponse<String> repeat, HttpResponse<String> original) {
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(Http.json(repeat).get("orderId").stringValue())
                .isEqualTo(Http.json(original).get("orderId").stringValue());
    }
}
