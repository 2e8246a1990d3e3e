package io.orderpipeline.venue;

import static io.orderpipeline.venue.TestInitiator.field;
import static io.orderpipeline.venue.TestInitiator.isExecType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.venue.book.Faults;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.CumQty;
import quickfix.field.CxlRejResponseTo;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.MsgType;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrderQty;
import quickfix.field.Side;

/** The venue over real FIX sockets: a QuickFIX/J initiator in the test against the embedded venue. */
class VenueFixTest {

    private static final BigDecimal FAR_BELOW = new BigDecimal("150.00");

    private static EmbeddedVenue venue;
    private static TestInitiator trader;

    @TempDir
    static Path stores;

    @BeforeAll
    static void startVenue() throws Exception {
        venue = EmbeddedVenue.start(
                "orders.venue.fill.model=partial", "orders.venue.fill.min-slices=2", "orders.venue.fill.max-slices=4");
        trader = TestInitiator.loggedOn("TRADER-A", venue, stores.resolve("a"));
    }

    @AfterAll
    static void stopVenue() {
        trader.close();
        venue.close();
    }

    @AfterEach
    void heal() {
        venue.faults(Faults.NONE);
    }

    @Test
    void shouldAcknowledgeThenFillInSlicesThatSumToTheQuantity() {
        // given
        String orderId = UUID.randomUUID().toString();

        // when
        trader.newOrder(orderId, "AAPL", Side.BUY, 100, null);

        // then
        List<Message> reports =
                trader.awaitReports(orderId, all -> all.stream().anyMatch(m -> "2".equals(field(m, OrdStatus.FIELD))));
        assertThat(isExecType(reports.get(0), ExecType.NEW)).isTrue();
        List<Message> trades =
                reports.stream().filter(m -> isExecType(m, ExecType.TRADE)).toList();
        assertThat(trades).hasSizeGreaterThanOrEqualTo(2);
        assertThat(trades.stream()
                        .mapToLong(m -> Long.parseLong(field(m, LastQty.FIELD)))
                        .sum())
                .isEqualTo(100);
        Message last = trades.get(trades.size() - 1);
        assertThat(field(last, CumQty.FIELD)).isEqualTo("100");
        assertThat(field(last, LeavesQty.FIELD)).isEqualTo("0");
        Set<String> execIds = new HashSet<>();
        reports.forEach(m -> execIds.add(field(m, ExecID.FIELD)));
        assertThat(execIds).hasSameSizeAs(reports);
        assertThat(reports).allMatch(m -> "acc-1".equals(field(m, 1)));
    }

    @Test
    void shouldAnswerARepeatedClOrdIdWithItsStatusInsteadOfASecondOrder() throws Exception {
        // given a resting order
        String orderId = UUID.randomUUID().toString();
        trader.newOrder(orderId, "AAPL", Side.BUY, 10, FAR_BELOW);
        trader.awaitReports(orderId, all -> all.size() == 1);

        // when the same ClOrdID comes again, from another session
        try (TestInitiator other = TestInitiator.loggedOn("TRADER-B", venue, stores.resolve("b"))) {
            other.newOrder(orderId, "AAPL", Side.BUY, 10, FAR_BELOW);

            // then
            List<Message> answer = other.awaitReports(orderId, all -> all.size() == 1);
            assertThat(isExecType(answer.get(0), ExecType.ORDER_STATUS)).isTrue();
            assertThat(field(answer.get(0), OrdStatus.FIELD)).isEqualTo("0");
        }
        assertThat(venue.orders().stream().filter(o -> o.clOrdId().equals(orderId)))
                .hasSize(1);
    }

    @Test
    void shouldCancelARestingOrderAndRefuseASecondCancelAsTooLate() {
        // given
        String orderId = UUID.randomUUID().toString();
        trader.newOrder(orderId, "AAPL", Side.BUY, 10, FAR_BELOW);
        trader.awaitReports(orderId, all -> all.size() == 1);

        // when
        trader.cancel(orderId + ":c1", orderId);
        trader.cancel(orderId + ":c2", orderId);

        // then
        List<Message> reports = trader.awaitReports(orderId, all -> all.size() == 3);
        assertThat(isExecType(reports.get(1), ExecType.CANCELED)).isTrue();
        assertThat(field(reports.get(1), LeavesQty.FIELD)).isEqualTo("0");
        assertThat(TestInitiator.header(reports.get(2))).isEqualTo(MsgType.ORDER_CANCEL_REJECT);
        assertThat(venue.order(orderId).orElseThrow().live()).isFalse();
    }

    @Test
    void shouldReplaceQuantityAndPriceAndRefuseAQuantityBelowTheFilled() {
        // given
        String orderId = UUID.randomUUID().toString();
        trader.newOrder(orderId, "AAPL", Side.BUY, 10, FAR_BELOW);
        trader.awaitReports(orderId, all -> all.size() == 1);

        // when
        trader.replace(orderId + ":a1", orderId, 20, new BigDecimal("151.00"));

        // then
        List<Message> reports = trader.awaitReports(orderId, all -> all.size() == 2);
        assertThat(isExecType(reports.get(1), ExecType.REPLACED)).isTrue();
        assertThat(field(reports.get(1), OrderQty.FIELD)).isEqualTo("20");
        assertThat(field(reports.get(1), LeavesQty.FIELD)).isEqualTo("20");
        assertThat(venue.order(orderId).orElseThrow().price()).isEqualByComparingTo("151.00");

        // and when it filled 20, a replace to 5 is refused
        venue.setPrice("AAPL", new BigDecimal("150.50"));
        trader.awaitReports(orderId, all -> all.stream().anyMatch(m -> "2".equals(field(m, OrdStatus.FIELD))));
        trader.replace(orderId + ":a2", orderId, 5, new BigDecimal("151.00"));
        Message reject =
                trader.awaitReports(orderId + ":a2", all -> !all.isEmpty()).get(0);
        assertThat(TestInitiator.header(reject)).isEqualTo(MsgType.ORDER_CANCEL_REJECT);
        assertThat(field(reject, CxlRejResponseTo.FIELD)).isEqualTo("2");
        venue.setPrice("AAPL", new BigDecimal("190.00"));
    }

    @Test
    void shouldNeverPlaceAnOrderWhoseCancelArrivedFirst() {
        // given a cancel for an order the venue has not seen
        String orderId = UUID.randomUUID().toString();
        trader.cancel(orderId + ":c1", orderId);
        trader.awaitReports(orderId, all -> all.size() == 1);

        // when the order arrives after it
        trader.newOrder(orderId, "AAPL", Side.BUY, 10, null);

        // then it is rejected for good, and nothing is in the book
        Message reject = trader.awaitReports(orderId, all -> all.size() == 2).get(1);
        assertThat(isExecType(reject, ExecType.REJECTED)).isTrue();
        assertThat(field(reject, OrdRejReason.FIELD)).isEqualTo("99");
        assertThat(venue.order(orderId)).isEmpty();
    }

    @Test
    void shouldRefuseEveryOrderRetryablyAtFailureRateOneAndAcceptTheSameIdOnceHealed() {
        // given
        venue.setFailureRate(1.0);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        // when
        trader.newOrder(first, "MSFT", Side.SELL, 5, null);
        trader.newOrder(second, "MSFT", Side.SELL, 5, null);

        // then
        for (String id : List.of(first, second)) {
            Message reject = trader.awaitReports(id, all -> all.size() == 1).get(0);
            assertThat(isExecType(reject, ExecType.REJECTED)).isTrue();
            assertThat(field(reject, OrdRejReason.FIELD)).isEqualTo("2");
        }

        // and when healed, a retry of the same ClOrdID is accepted and fills
        venue.setFailureRate(0.0);
        trader.newOrder(first, "MSFT", Side.SELL, 5, null);
        trader.awaitReports(first, all -> all.stream().anyMatch(m -> "2".equals(field(m, OrdStatus.FIELD))));
        assertThat(venue.order(first).orElseThrow().cumQty()).isEqualTo(5);
    }

    @Test
    void shouldReportAVenueSideExpiry() {
        // given
        String orderId = UUID.randomUUID().toString();
        trader.newOrder(orderId, "AAPL", Side.BUY, 10, FAR_BELOW);
        trader.awaitReports(orderId, all -> all.size() == 1);

        // when
        boolean expired = venue.expire(orderId);

        // then
        assertThat(expired).isTrue();
        Message report = trader.awaitReports(orderId, all -> all.size() == 2).get(1);
        assertThat(isExecType(report, ExecType.EXPIRED)).isTrue();
        assertThat(field(report, OrdStatus.FIELD)).isEqualTo("C");
        assertThat(field(report, LeavesQty.FIELD)).isEqualTo("0");
        assertThat(venue.expire(orderId)).isFalse();
    }

    @Test
    void shouldRejectAnUnknownSymbolForGood() {
        String orderId = UUID.randomUUID().toString();

        trader.newOrder(orderId, "NOPE", Side.BUY, 1, null);

        Message reject = trader.awaitReports(orderId, all -> all.size() == 1).get(0);
        assertThat(isExecType(reject, ExecType.REJECTED)).isTrue();
        assertThat(field(reject, OrdRejReason.FIELD)).isEqualTo("1");
    }

    @Test
    void shouldRefuseLogonsDuringAnOutageAndAcceptThemOnceHealed() throws Exception {
        // given
        venue.setOutage(true);

        // when
        try (TestInitiator late = new TestInitiator("TRADER-C", venue.fixPort(), stores.resolve("c"))) {
            // then: it keeps trying and is refused every time
            await().during(Duration.ofMillis(2500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !late.isLoggedOn());
            assertThat(late.logons).isZero();

            // and when healed it logs on
            venue.setOutage(false);
            late.awaitLoggedOn();
        }
        trader.awaitLoggedOn();
    }

    @Test
    void shouldResendTheReportsADroppedSessionMissed() {
        // given a resting order
        String orderId = UUID.randomUUID().toString();
        trader.newOrder(orderId, "GOOGL", Side.BUY, 30, new BigDecimal("160.00"));
        trader.awaitReports(orderId, all -> all.size() == 1);
        int logonsBefore = trader.logons;

        // when the session is dropped and the order fills while it is down
        venue.dropSessions();
        await().atMost(Duration.ofSeconds(5)).until(() -> !trader.isLoggedOn() || trader.logons > logonsBefore);
        venue.setPrice("GOOGL", new BigDecimal("159.00"));

        // then the initiator logs on again and gets every fill
        List<Message> reports =
                trader.awaitReports(orderId, all -> all.stream().anyMatch(m -> "2".equals(field(m, OrdStatus.FIELD))));
        assertThat(trader.logons).isGreaterThan(logonsBefore);
        assertThat(reports.stream()
                        .filter(m -> isExecType(m, ExecType.TRADE))
                        .mapToLong(m -> Long.parseLong(field(m, LastQty.FIELD)))
                        .sum())
                .isEqualTo(30);
        venue.setPrice("GOOGL", new BigDecimal("170.00"));
    }
}
