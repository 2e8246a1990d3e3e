package io.orderpipeline.processor.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderpipeline.processor.testing.MutableClock;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedExchangeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T14:30:00Z"));

    @Test
    void shouldDecideEveryAttemptTheSameWayUnderTheSameSeed() {
        // given two exchanges with the same seed and failure rate
        SimulatedExchange.Settings settings =
                SimulatedExchange.Settings.reliable().withFailureRate(0.5);
        try (SimulatedExchange a = new SimulatedExchange(settings, clock, ExchangeLedger.inMemory());
                SimulatedExchange b = new SimulatedExchange(settings, clock, ExchangeLedger.inMemory())) {
            // when both see the same 200 attempts in opposite orders
            List<Boolean> first = IntStream.range(0, 200)
                    .mapToObj(i -> placed(a, "o-" + i, 1))
                    .toList();
            Boolean[] second = new Boolean[200];
            for (int i = 199; i >= 0; i--) {
                second[i] = placed(b, "o-" + i, 1);
            }

            // then the outcomes are identical, and about half failed
            assertThat(second).containsExactlyElementsOf(first);
            assertThat(first.stream().filter(ok -> !ok).count()).isBetween(70L, 130L);
        }
    }

    @Test
    void shouldNeverPlaceAnOrderTwice() {
        try (SimulatedExchange exchange =
                new SimulatedExchange(SimulatedExchange.Settings.reliable(), clock, ExchangeLedger.inMemory())) {
            // given a placed order
            ExchangeAck first =
                    exchange.place(request("o-1", 1)).toCompletableFuture().join();

            // when the same order id is sent again (a replay, or a later attempt)
            ExchangeAck replay =
                    exchange.place(request("o-1", 1)).toCompletableFuture().join();
            ExchangeAck later =
                    exchange.place(request("o-1", 3)).toCompletableFuture().join();

            // then the original acknowledgement comes back and the ledger holds one placement
            assertThat(first.duplicate()).isFalse();
            assertThat(replay).isEqualTo(new ExchangeAck(first.exchangeOrderId(), true));
            assertThat(later).isEqualTo(replay);
            assertThat(exchange.ledger().placements()).hasSize(1);
            assertThat(exchange.ledger().requests("o-1")).isEqualTo(3);
            assertThat(exchange.ledger().duplicateRequests()).isEqualTo(2);
        }
    }

    @Test
    void shouldFailEveryAttemptAtFailureRateOne() {
        try (SimulatedExchange exchange = new SimulatedExchange(
                SimulatedExchange.Settings.reliable().withFailureRate(1.0), clock, ExchangeLedger.inMemory())) {
            // given
            // when / then
            for (int attempt = 1; attempt <= 5; attempt++) {
                CompletableFuture<ExchangeAck> answer =
                        exchange.place(request("o-1", attempt)).toCompletableFuture();
                assertThatThrownBy(answer::join).hasCauseInstanceOf(ExchangeUnavailableException.class);
            }
            assertThat(exchange.ledger().placements()).isEmpty();
        }
    }

    @Test
    void shouldRejectForGoodAtFatalRateOne() {
        try (SimulatedExchange exchange = new SimulatedExchange(
                SimulatedExchange.Settings.reliable().withFatalRate(1.0), clock, ExchangeLedger.inMemory())) {
            // given
            // when
            CompletableFuture<ExchangeAck> answer =
                    exchange.place(request("o-1", 1)).toCompletableFuture();

            // then
            assertThatThrownBy(answer::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(ExchangeRejectedException.class)
                    .satisfies(
                            e -> assertThat(((ExchangeException) e).retryable()).isFalse());
        }
    }

    @Test
    void shouldBeUnavailableDuringOutageWindowsOnly() {
        Instant start = clock.instant();
        SimulatedExchange.Settings settings = SimulatedExchange.Settings.reliable()
                .withOutages(List.of(new SimulatedExchange.OutageWindow(start, start.plusSeconds(10))));
        try (SimulatedExchange exchange = new SimulatedExchange(settings, clock, ExchangeLedger.inMemory())) {
            // given an outage for the first 10 s
            // when / then
            assertThat(placed(exchange, "o-1", 1)).isFalse();
            clock.advance(Duration.ofSeconds(10));
            assertThat(placed(exchange, "o-1", 2)).isTrue();
        }
    }

    @Test
    void shouldRefuseWithdrawnOrder() {
        try (SimulatedExchange exchange =
                new SimulatedExchange(SimulatedExchange.Settings.reliable(), clock, ExchangeLedger.inMemory())) {
            // given an order withdrawn before it reached the exchange, and a placed one withdrawn after
            exchange.cancel(withdrawal("o-1"));
            placed(exchange, "o-2", 1);
            exchange.cancel(withdrawal("o-2"));

            // when / then: the first can no longer be placed, the second is no longer live
            assertThat(placed(exchange, "o-1", 1)).isFalse();
            assertThat(exchange.ledger().placement("o-1")).isEmpty();
            assertThat(exchange.ledger().placement("o-2").orElseThrow().live()).isFalse();
        }
    }

    @Test
    void shouldAnswerAfterLatencyWithoutBlockingTheCaller() {
        try (SimulatedExchange exchange = new SimulatedExchange(
                SimulatedExchange.Settings.reliable().withLatency(Duration.ofMillis(200)),
                clock,
                ExchangeLedger.inMemory())) {
            // given
            // when
            CompletableFuture<ExchangeAck> answer =
                    exchange.place(request("o-1", 1)).toCompletableFuture();

            // then the call returned before the answer exists, and the answer comes later
            assertThat(answer).isNotDone();
            assertThat(answer.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                            .join()
                            .duplicate())
                    .isFalse();
        }
    }

    @Test
    void shouldRememberPlacementsAcrossRestartsWhenJournaled(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ledger.tsv");
        // given an exchange that placed o-1 and withdrew o-2, then stopped
        String exchangeOrderId;
        try (ExchangeLedger ledger = ExchangeLedger.journaled(file);
                SimulatedExchange exchange =
                        new SimulatedExchange(SimulatedExchange.Settings.reliable(), clock, ledger)) {
            exchangeOrderId = exchange.place(request("o-1", 1))
                    .toCompletableFuture()
                    .join()
                    .exchangeOrderId();
            exchange.cancel(withdrawal("o-2"));
        }

        // when a new exchange opens the same journal
        try (ExchangeLedger ledger = ExchangeLedger.journaled(file);
                SimulatedExchange exchange =
                        new SimulatedExchange(SimulatedExchange.Settings.reliable(), clock, ledger)) {
            ExchangeAck replay =
                    exchange.place(request("o-1", 1)).toCompletableFuture().join();

            // then it acknowledges o-1 again instead of placing it twice, and still refuses o-2
            assertThat(replay).isEqualTo(new ExchangeAck(exchangeOrderId, true));
            assertThat(placed(exchange, "o-2", 1)).isFalse();
            assertThat(ledger.placements()).hasSize(1);
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    private static boolean placed(SimulatedExchange exchange, String orderId, int attempt) {
        return !exchange.place(request(orderId, attempt)).toCompletableFuture().isCompletedExceptionally();
    }

    private static PlacementRequest request(String orderId, int attempt) {
        return new PlacementRequest(
                orderId, "acc-1", "AAPL", Side.BUY, OrderType.LIMIT, 10, new BigDecimal("187.25"), attempt);
    }

    private static CancelRequest withdrawal(String orderId) {
        return new CancelRequest(CancelRequest.idFor(orderId, 1), orderId, "acc-1", "AAPL", Side.BUY, 10);
    }
}
