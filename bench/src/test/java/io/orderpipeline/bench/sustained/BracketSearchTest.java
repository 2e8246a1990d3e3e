package io.orderpipeline.bench.sustained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BracketSearchTest {

    private static final Offset<Double> CLOSE = Offset.offset(0.01);

    /** The rates a search tries against a pipeline that holds up to {@code capacity}. */
    private static List<Double> tried(BracketSearch search, double capacity) {
        List<Double> rates = new ArrayList<>();
        while (search.hasNext()) {
            double rate = search.next();
            rates.add(rate);
            search.result(rate <= capacity);
        }
        return rates;
    }

    @Test
    void shouldClimbWhilePassingThenBisectUntilPassAndFailAreWithinThePrecision() {
        // given capacity 1,300/s, a start at 1,000/s, up x1.5, precision 1.1
        BracketSearch search = new BracketSearch(1000, 10, 10_000, 1.5, 0.6, 1.1, 10);

        // when
        List<Double> rates = tried(search, 1300);

        // then: 1000 ok, 1500 x, then geometric midpoints 1224.7 ok, 1355.4 x, 1288.4 ok; 1355.4 / 1288.4 < 1.1
        assertThat(rates).hasSize(5);
        assertThat(rates.get(0)).isEqualTo(1000);
        assertThat(rates.get(1)).isEqualTo(1500);
        assertThat(rates.get(2)).isCloseTo(Math.sqrt(1000 * 1500), CLOSE);
        assertThat(search.best())
                .isCloseTo(Math.sqrt(Math.sqrt(1000 * 1500) * Math.sqrt(Math.sqrt(1000 * 1500) * 1500)), CLOSE);
        assertThat(search.best()).isLessThanOrEqualTo(1300);
        assertThat(search.lowestFail() / search.best()).isLessThanOrEqualTo(1.1);
    }

    @Test
    void shouldStepDownWhileFailingAndStopAtTheStepBound() {
        // given capacity 300/s, a start at 1,000/s, down x0.6, at most 4 steps
        BracketSearch search = new BracketSearch(1000, 10, 10_000, 1.5, 0.6, 1.1, 4);

        // when
        List<Double> rates = tried(search, 300);

        // then: 1000 x, 600 x, 360 x, 216 ok, and no fifth step
        assertThat(rates).hasSize(4);
        assertThat(rates.get(3)).isCloseTo(216, CLOSE);
        assertThat(search.best()).isCloseTo(216, CLOSE);
        assertThat(search.lowestFail()).isCloseTo(360, CLOSE);
    }

    @Test
    void shouldStopAtTheFloorWhenNothingHolds() {
        // given a pipeline that holds no rate at all
        BracketSearch search = new BracketSearch(100, 50, 10_000, 1.5, 0.6, 1.1, 10);

        // when
        List<Double> rates = tried(search, 0);

        // then: 100 x, 60 x, then the floor 50 (not 36) x, then the search gives up
        assertThat(rates).containsExactly(100.0, 60.0, 50.0);
        assertThat(search.best()).isNaN();
    }

    @Test
    void shouldStopAtTheCeilingWhenItHolds() {
        // given a pipeline faster than the ceiling (e.g. the POST closed-loop maximum)
        BracketSearch search = new BracketSearch(1000, 10, 2000, 1.5, 0.6, 1.1, 10);

        // when
        List<Double> rates = tried(search, 1e9);

        // then: 1000 ok, 1500 ok, 2000 (clamped) ok, done
        assertThat(rates).containsExactly(1000.0, 1500.0, 2000.0);
        assertThat(search.best()).isEqualTo(2000);
        assertThat(search.lowestFail()).isNaN();
    }

    @Test
    void shouldRefuseFactorsThatCannotConverge() {
        assertThatThrownBy(() -> new BracketSearch(100, 10, 1000, 1.0, 0.6, 1.1, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BracketSearch(100, 10, 1000, 1.5, 1.2, 1.1, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
