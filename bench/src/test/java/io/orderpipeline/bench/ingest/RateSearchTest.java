package io.orderpipeline.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateSearchTest {

    /** Runs a search against a server that holds the SLO up to {@code capacity}. */
    private static double search(double start, double capacity, int steps) {
        RateSearch search = new RateSearch(start, steps);
        while (search.hasNext()) {
            search.result(search.next() <= capacity);
        }
        return search.best();
    }

    @Test
    void shouldStepDownUntilARatePassesThenUpUntilOneFails() {
        // given a capacity of 700/s and a start at 1000/s: 1000 x, 800 x, 640 ok, 704 x
        // when
        double best = search(1000, 700, 6);
        // then
        assertThat(best).isEqualTo(640);
    }

    @Test
    void shouldClimbFromAPassingStartAndStopBelowAKnownFailure() {
        // given: 1000 ok, 1100 ok, 1210 x
        // when / then
        assertThat(search(1000, 1150, 6)).isEqualTo(1100, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldReportNothingWhenNoStepPassesWithinTheBound() {
        // given / when / then
        assertThat(search(1000, 10, 3)).isNaN();
    }
}
