package io.orderpipeline.query.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.query.view.PositionTotals;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The position convention (total average cost) on plain sums. */
class PositionTest {

    @Test
    void shouldPriceALongAtTheAverageBuyAndRealizeTheMatchedQuantity() {
        // given bought 100 for 18 735 (average 187.35), sold 30 for 5 700 (190)
        PositionTotals totals = new PositionTotals("AAPL", 100, new BigDecimal("18735"), 30, new BigDecimal("5700"), 3);

        // when
        Position position = Position.of(totals);

        // then
        assertThat(position.netQuantity()).isEqualTo(70);
        assertThat(position.averageCost()).isEqualTo("187.35");
        assertThat(position.realizedPnl()).isEqualTo("79.5");
    }

    @Test
    void shouldPriceAShortAtTheAverageSellAndAFlatPositionNotAtAll() {
        // given
        PositionTotals shortOne =
                new PositionTotals("MSFT", 10, new BigDecimal("4000"), 25, new BigDecimal("10250"), 2);
        PositionTotals flat = new PositionTotals("NVDA", 5, new BigDecimal("500"), 5, new BigDecimal("490"), 2);

        // when
        Position s = Position.of(shortOne);
        Position f = Position.of(flat);

        // then short 15 at 410 each, 10 matched at 410 - 400
        assertThat(s.netQuantity()).isEqualTo(-15);
        assertThat(s.averageCost()).isEqualTo("410");
        assertThat(s.realizedPnl()).isEqualTo("100");
        // and flat: no cost, a realized loss of 10
        assertThat(f.netQuantity()).isZero();
        assertThat(f.averageCost()).isNull();
        assertThat(f.realizedPnl()).isEqualTo("-10");
    }

    @Test
    void shouldRoundAveragesToSixDecimalsAndAddPartsInAnyOrder() {
        // given three buys of 1 at 1, 1 and 2 (average 1.333333…), summed in two orders
        PositionTotals a = new PositionTotals("AAPL", 1, BigDecimal.ONE, 0, BigDecimal.ZERO, 1);
        PositionTotals b = new PositionTotals("AAPL", 2, new BigDecimal("3"), 0, BigDecimal.ZERO, 2);

        // when / then
        assertThat(Position.of(a.plus(b))).isEqualTo(Position.of(b.plus(a)));
        assertThat(Position.of(a.plus(b)).averageCost()).isEqualTo("1.333333");
        assertThat(Position.of(a.plus(b)).averageSellPrice()).isNull();
    }
}
