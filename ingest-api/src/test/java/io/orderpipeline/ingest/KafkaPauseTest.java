package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.ingest.support.BrokerProcess;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestInstance;
import io.orderpipeline.ingest.support.TestRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The 503 bound with a broker that is paused (SIGSTOP): its connections stay open and nothing answers, the worst case
 * for a client's timeouts (a stopped broker refuses connections at once).
 */
class KafkaPauseTest {

    record Answer(String what, int status, String retryAfter, long millis) {}

    @Test
    void shouldAnswer503WithRetryAfterWithinTheBoundWhileTheBrokerIsPaused() {
        // given an instance with default settings that has written a command (producer, metadata, schema warm)
        try (BrokerProcess broker = BrokerProcess.start("pause");
                IngestInstance ingest = IngestInstance.start(broker.bootstrapServers(), TestRegistry.url())) {
            Http http = ingest.http();
            IngestSettings.Producer producer = ingest.bean(IngestSettings.class).producer();
            Duration catchUp = ingest.bean(IngestSettings.class).idempotency().catchUpTimeout();
            assertThat(http.postJson("/orders", Http.limitOrder("c-pause-warm")).statusCode())
                    .isEqualTo(202);
            assertThat(http.postJson("/orders", Http.limitOrder("c-pause-warm-k"), "Idempotency-Key", key())
                            .statusCode())
                    .isEqualTo(202);

            // when the broker is paused: a first request, then a few more, one of them keyed
            broker.pause();
            List<Answer> answers = new ArrayList<>();
            answers.add(post(http, "first"));
            for (int i = 1; i <= 3; i++) {
                answers.add(post(http, "next-" + i));
            }
            answers.add(post(http, "keyed", "Idempotency-Key", key()));
            answers.add(post(http, "after-keyed"));
            answers.forEach(a -> System.out.printf(
                    "paused broker: %-12s %d in %5d ms (Retry-After %s)%n",
                    a.what(), a.status(), a.millis(), a.retryAfter()));

            // then each is a 503 with Retry-After, within the bound the settings document
            String retryAfter = Long.toString(Math.max(1, (producer.retryAfter().toMillis() + 999) / 1000));
            assertThat(answers).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.retryAfter()).isEqualTo(retryAfter);
            });
            assertThat(answers)
                    .as("no request waits longer than the verdict's bound")
                    .allSatisfy(a -> assertThat(a.millis()).isLessThanOrEqualTo(within(producer.bound())));
            assertThat(answers)
                    .filteredOn(a -> !a.what().equals("keyed"))
                    .as("with the broker unreachable no transaction reaches its commit")
                    .allSatisfy(a -> assertThat(a.millis()).isLessThanOrEqualTo(within(producer.unreachableBound())));
            assertThat(answers.get(0).millis())
                    .as("the first request waits for acknowledgements that do not come: delivery-timeout, not more")
                    .isLessThanOrEqualTo(within(producer.deliveryTimeout()));
            assertThat(answers)
                    .filteredOn(a -> a.what().equals("keyed"))
                    .as("a keyed request: the idempotency catch-up gives up first")
                    .allSatisfy(a -> assertThat(a.millis()).isLessThanOrEqualTo(within(catchUp)));

            // and once the broker resumes, the instance gets ready again by itself and plain and keyed POSTs succeed
            broker.resume();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> http.get("/actuator/health/readiness").statusCode() == 200);
            for (int i = 0; i < 4; i++) {
                assertThat(http.postJson("/orders", Http.limitOrder("c-pause-after-" + i))
                                .statusCode())
                        .isEqualTo(202);
                assertThat(http.postJson("/orders", Http.limitOrder("c-pause-after-k" + i), "Idempotency-Key", key())
                                .statusCode())
                        .isEqualTo(202);
            }
        }
    }

    /** Scheduling and HTTP on a loaded two-core machine; not part of the design's bound. */
    private static final long HTTP_GRACE_MS = 500;

    private static long within(Duration bound) {
        return bound.toMillis() + HTTP_GRACE_MS;
    }

    private static String key() {
        return "k-" + UUID.randomUUID();
    }

    private static Answer post(Http http, String what, String... headers) {
        long start = System.nanoTime();
        HttpResponse<String> response =
                http.postJson("/orders", Http.limitOrder("c-pause-" + what + "-" + UUID.randomUUID()), headers);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Answer(
                what,
                response.statusCode(),
                response.headers().firstValue("Retry-After").orElse(null),
                millis);
    }
}
