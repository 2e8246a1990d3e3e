package io.orderpipeline.venue;

import static io.orderpipeline.venue.TestInitiator.field;
import static io.orderpipeline.venue.TestInitiator.isExecType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.venue.book.Faults;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.ExecType;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.Side;

/** The default fill model (a seeded random walk per symbol) and the latency and reject faults. */
class MarketModelTest {

    private static EmbeddedVenue venue;
    private static TestInitiator trader;

    @TempDir
    static Path stores;

    @BeforeAll
    static void startVenue() throws Exception {
        venue = EmbeddedVenue.start("orders.venue.fill.tick-interval=20ms");
        trader = TestInitiator.loggedOn("TRADER-M", venue, stores.resolve("m"));
    }

    @AfterAll
    static void stopVenue() {
        trader.close();
        venue.close();
    }

    @Test
    void shouldFillAMarketOrderNearTheMovingPriceAndLetAFarLimitRest() {
        // given
        String market = UUID.randomUUID().toString();
        String far = UUID.randomUUID().toString();

        // when
        trader.newOrder(market, "AAPL", Side.BUY, 60, null);
        trader.newOrder(far, "AAPL", Side.BUY, 60, new BigDecimal("170.00"));

        // then the market order fills in 1..3 executions near the reference price
        List<Message> reports = trader.awaitReports(market, all -> all.stream().anyMatch(MarketModelTest::filled));
        List<Message> trades =
                reports.stream().filter(m -> isExecType(m, ExecType.TRADE)).toList();
        assertThat(trades).hasSizeBetween(1, 3);
        assertThat(trades.stream()
                        .mapToLong(m -> Long.parseLong(field(m, LastQty.FIELD)))
                        .sum())
                .isEqualTo(60);
        assertThat(trades)
                .allSatisfy(m -> assertThat(new BigDecimal(field(m, LastPx.FIELD)))
                        .isBetween(new BigDecimal("185.00"), new BigDecimal("195.00")));

        // and the limit 10% below the market rests over many ticks
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> trader.about(far).size() == 1);
        assertThat(venue.order(far).orElseThrow().cumQty()).isZero();
    }

    @Test
    void shouldDelayAnswersByTheLatencyWithoutHoldingBackAnotherSessionForever() throws Exception {
        // given
        venue.faults(new Faults(0, 0, 1000, false));
        try (TestInitiator other = TestInitiator.loggedOn("TRADER-N", venue, stores.resolve("n"))) {
            String slow = UUID.randomUUID().toString();
            String alsoSlow = UUID.randomUUID().toString();

            // when
            long start = System.nanoTime();
            trader.newOrder(slow, "MSFT", Side.BUY, 1, new BigDecimal("300.00"));
            other.newOrder(alsoSlow, "MSFT", Side.BUY, 1, new BigDecimal("300.00"));

            // then both answers come, each at least the latency late, but not one after the other (that would take
            // twice the latency)
            trader.awaitReports(slow, all -> all.size() == 1);
            other.awaitReports(alsoSlow, all -> all.size() == 1);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsedMs).isBetween(1000L, 1900L);
        } finally {
            venue.faults(Faults.NONE);
        }
    }

    @Test
    void shouldRejectForGoodAtRejectRateOneAndRepeatTheRejectForTheSameId() {
        // given
        venue.faults(new Faults(0, 1.0, 0, false));
        String orderId = UUID.randomUUID().toString();
        try {
            // when
            trader.newOrder(orderId, "NVDA", Side.SELL, 1, null);
            Message reject =
                    trader.awaitReports(orderId, all -> all.size() == 1).get(0);

            // then
            assertThat(field(reject, OrdRejReason.FIELD)).isEqualTo("99");

            // and healed, the same id gets the same reject again, never an order
            venue.faults(Faults.NONE);
            trader.newOrder(orderId, "NVDA", Side.SELL, 1, null);
            Message again = trader.awaitReports(orderId, all -> all.size() == 2).get(1);
            assertThat(field(again, 17)).isEqualTo(field(reject, 17));
            assertThat(venue.order(orderId)).isEmpty();
        } finally {
            venue.faults(Faults.NONE);
        }
    }

    private static boolean filled(Message message) {
        return "2".equals(field(message, OrdStatus.FIELD));
    }
}
