package io.orderpipeline.venue;

import static io.orderpipeline.venue.TestInitiator.field;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.field.LastQty;
import quickfix.field.Side;

/** With orders.venue.report-failover, the reports of a session that is gone reach another logged-on session. */
class ReportFailoverTest {

    @TempDir
    Path dir;

    @Test
    void shouldSendTheFillsOfAGoneSessionsOrderToAnotherLoggedOnSession() throws Exception {
        try (EmbeddedVenue venue =
                        EmbeddedVenue.start("orders.venue.fill.model=immediate", "orders.venue.report-failover=true");
                TestInitiator survivor = TestInitiator.loggedOn("TRADER-Y", venue, dir.resolve("y"))) {
            // given an order resting for a session that then goes away
            String orderId = UUID.randomUUID().toString();
            try (TestInitiator gone = TestInitiator.loggedOn("TRADER-X", venue, dir.resolve("x"))) {
                gone.newOrder(orderId, "AAPL", Side.BUY, 15, new BigDecimal("180.00"));
                gone.awaitReports(orderId, all -> all.size() == 1);
            }

            // when it fills
            venue.setPrice("AAPL", new BigDecimal("179.00"));

            // then the surviving session gets the fill
            assertThat(field(
                            survivor.awaitReports(orderId, all -> all.size() == 1)
                                    .get(0),
                            LastQty.FIELD))
                    .isEqualTo("15");
        }
    }
}
