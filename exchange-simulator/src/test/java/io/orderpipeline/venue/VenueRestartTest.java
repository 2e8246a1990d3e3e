package io.orderpipeline.venue;

import static io.orderpipeline.venue.TestInitiator.field;
import static io.orderpipeline.venue.TestInitiator.isExecType;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.venue.book.VenueStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.ExecType;
import quickfix.field.LastQty;
import quickfix.field.OrdStatus;
import quickfix.field.Side;

/** The book, the request ids and the sessions' stores survive a restart of the venue. */
class VenueRestartTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepTheBookTheRequestIdsAndTheSessionAcrossARestart() throws Exception {
        // given a resting order, a filled one and a tombstone
        try (EmbeddedVenue venue = EmbeddedVenue.start(
                        "orders.venue.fill.model=immediate", "orders.venue.data-dir=" + dir.resolve("venue"));
                TestInitiator trader = TestInitiator.loggedOn("TRADER-R", venue, dir.resolve("trader"))) {
            String resting = UUID.randomUUID().toString();
            String filled = UUID.randomUUID().toString();
            String tombstoned = UUID.randomUUID().toString();
            trader.newOrder(resting, "NVDA", Side.BUY, 40, new BigDecimal("100.00"));
            trader.newOrder(filled, "NVDA", Side.BUY, 7, null);
            trader.cancel(tombstoned + ":c1", tombstoned);
            trader.awaitReports(resting, all -> all.size() == 1);
            trader.awaitReports(filled, all -> all.size() == 2);
            trader.awaitReports(tombstoned, all -> all.size() == 1);

            // when it restarts (the initiator keeps reconnecting to the same port)
            venue.restart();
            trader.awaitLoggedOn();

            // then the book is back
            assertThat(venue.order(resting).orElseThrow().status()).isEqualTo(VenueStatus.NEW);
            assertThat(venue.order(filled).orElseThrow().cumQty()).isEqualTo(7);

            // a repeated order gets its status, no second order
            trader.newOrder(filled, "NVDA", Side.BUY, 7, null);
            List<Message> again = trader.awaitReports(filled, all -> all.size() == 3);
            assertThat(isExecType(again.get(2), ExecType.ORDER_STATUS)).isTrue();
            assertThat(field(again.get(2), OrdStatus.FIELD)).isEqualTo("2");

            // the tombstone still refuses the late order
            trader.newOrder(tombstoned, "NVDA", Side.BUY, 1, null);
            assertThat(isExecType(
                            trader.awaitReports(tombstoned, all -> all.size() == 2)
                                    .get(1),
                            ExecType.REJECTED))
                    .isTrue();

            // and the resting order still works: it fills when the price reaches it
            venue.setPrice("NVDA", new BigDecimal("99.00"));
            List<Message> fills = trader.awaitReports(resting, all -> all.size() == 2);
            assertThat(field(fills.get(1), LastQty.FIELD)).isEqualTo("40");
        }
    }

    @Test
    void shouldResendAfterARestartWhatItSentWhileTheInitiatorWasAway() throws Exception {
        // given an order resting, and the trader gone
        String resting = UUID.randomUUID().toString();
        Path traderStore = dir.resolve("trader2");
        try (EmbeddedVenue venue = EmbeddedVenue.start(
                "orders.venue.fill.model=immediate", "orders.venue.data-dir=" + dir.resolve("venue2"))) {
            try (TestInitiator trader = TestInitiator.loggedOn("TRADER-S", venue, traderStore)) {
                trader.newOrder(resting, "AMZN", Side.SELL, 12, new BigDecimal("200.00"));
                trader.awaitReports(resting, all -> all.size() == 1);
            }

            // when the venue restarts, the order fills while the trader is away, and the trader comes back
            venue.restart();
            venue.setPrice("AMZN", new BigDecimal("201.00"));
            try (TestInitiator trader = TestInitiator.loggedOn("TRADER-S", venue, traderStore)) {
                // then it gets the fill it missed (a resend from the venue's store)
                List<Message> reports = trader.awaitReports(resting, all -> !all.isEmpty());
                assertThat(isExecType(reports.get(0), ExecType.TRADE)).isTrue();
                assertThat(field(reports.get(0), LastQty.FIELD)).isEqualTo("12");
            }
        }
    }
}
