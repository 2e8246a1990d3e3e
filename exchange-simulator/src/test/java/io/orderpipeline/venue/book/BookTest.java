package io.orderpipeline.venue.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The book's decisions, without FIX or threads. */
class BookTest {

    private static final String S1 = "FIX.4.4:VENUE->P1";
    private static final String S2 = "FIX.4.4:VENUE->P2";

    @TempDir
    Path dir;

    private Book book() {
        return new Book(Journal.open(dir.resolve("book.journal")), new Market(Market.REFERENCE_PRICES, 1, 0));
    }

    private static OrderRequest limit(String id, long quantity, String price) {
        return new OrderRequest(id, "acc-1", "AAPL", Side.BUY, true, quantity, new BigDecimal(price));
    }

    @Test
    void shouldRouteAnOrdersReportsToTheSessionOfItsLatestRequest() {
        // given
        Book book = book();
        book.newOrder(limit("o-1", 10, "180.00"), S1, () -> Book.Injected.NONE);

        // when the same order id comes from another session
        List<Report> again = book.newOrder(limit("o-1", 10, "180.00"), S2, () -> Book.Injected.NONE);

        // then it gets the status, and later fills go there too
        assertThat(again).singleElement().satisfies(report -> {
            assertThat(report.kind()).isEqualTo(ExecKind.ORDER_STATUS);
            assertThat(report.session()).isEqualTo(S2);
        });
        assertThat(book.fill("o-1", 4, new BigDecimal("180.00")).orElseThrow().session())
                .isEqualTo(S2);
    }

    @Test
    void shouldComputeAveragePriceAndLeavesOverFills() {
        Book book = book();
        book.newOrder(limit("o-2", 10, "181.00"), S1, () -> Book.Injected.NONE);

        book.fill("o-2", 4, new BigDecimal("180.00"));
        Report last = book.fill("o-2", 6, new BigDecimal("181.00")).orElseThrow();

        assertThat(last.cumQty()).isEqualTo(10);
        assertThat(last.leavesQty()).isZero();
        assertThat(last.ordStatus()).isEqualTo(VenueStatus.FILLED);
        assertThat(last.avgPx()).isEqualByComparingTo("180.60");
        assertThat(book.fill("o-2", 1, new BigDecimal("181.00"))).isEmpty();
    }

    @Test
    void shouldNotUseUpTheIdOnAnInjectedFailure() {
        Book book = book();

        Report failed = book.newOrder(limit("o-3", 1, "180.00"), S1, () -> Book.Injected.FAILURE)
                .get(0);
        Report accepted = book.newOrder(limit("o-3", 1, "180.00"), S1, () -> Book.Injected.NONE)
                .get(0);

        assertThat(failed.rejectReason()).isEqualTo(Book.EXCHANGE_CLOSED);
        assertThat(accepted.kind()).isEqualTo(ExecKind.NEW);
    }

    @Test
    void shouldAnswerARepeatedCancelWithTheOrdersStatusNotASecondCancel() {
        Book book = book();
        book.newOrder(limit("o-4", 5, "180.00"), S1, () -> Book.Injected.NONE);
        AmendRequest cancel = new AmendRequest(false, "o-4:c1", "o-4", "acc-1", 0, null);

        Report first = book.amend(cancel, S1).get(0);
        Report second = book.amend(cancel, S2).get(0);

        assertThat(first.kind()).isEqualTo(ExecKind.CANCELED);
        assertThat(second.kind()).isEqualTo(ExecKind.ORDER_STATUS);
        assertThat(second.ordStatus()).isEqualTo(VenueStatus.CANCELED);
        assertThat(second.clOrdId()).isEqualTo("o-4:c1");
    }

    @Test
    void shouldReplayTheJournalIntoTheSameBook() {
        // given
        Book book = book();
        book.newOrder(limit("o-5", 8, "180.00"), S1, () -> Book.Injected.NONE);
        book.fill("o-5", 3, new BigDecimal("180.00"));
        book.amend(new AmendRequest(true, "o-5:a2", "o-5", "acc-1", 12, new BigDecimal("179.50")), S1);
        book.amend(new AmendRequest(false, "gone:c1", "gone", "acc-1", 0, null), S1);
        book.newOrder(limit("bad", 1, "180.00"), S1, () -> Book.Injected.REJECT);

        // when
        Book replayed = book();

        // then
        VenueOrder order = replayed.order("o-5").orElseThrow();
        assertThat(order.quantity()).isEqualTo(12);
        assertThat(order.cumQty()).isEqualTo(3);
        assertThat(order.leavesQty()).isEqualTo(9);
        assertThat(order.price()).isEqualByComparingTo("179.50");
        assertThat(replayed.tombstones()).containsExactly("gone");
        assertThat(replayed.newOrder(limit("bad", 1, "180.00"), S1, () -> Book.Injected.NONE)
                        .get(0)
                        .kind())
                .isEqualTo(ExecKind.REJECTED);
        assertThat(replayed.counts()).containsEntry("PARTIALLY_FILLED", 1L).containsEntry("REJECTED", 1L);
    }
}
