package io.orderpipeline.bench.sustained;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BacklogTrendTest {

    @Test
    void shouldSeeAPipelineThatFallsBehindAsGrowing() {
        // given 1,000 orders/s offered and 960/s done: 40 more orders waiting every second for 31 samples (30 s)
        long[] samples = new long[31];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 200 + 40L * i;
        }

        // when / then: 1,200 orders of growth against a tolerance of 250 (0.25 s of arrivals)
        assertThat(BacklogTrend.slope(samples)).isCloseTo(40, Offset.offset(1e-9));
        assertThat(BacklogTrend.growth(samples)).isCloseTo(1200, Offset.offset(1e-6));
        assertThat(BacklogTrend.growing(samples, 1000, 0.25, 100)).isTrue();
    }

    @Test
    void shouldNotSeeCommitSizedWobbleAsGrowth() {
        // given a steady backlog of ~200 orders jumping by a commit's worth (50 ms at 1,000/s) up and down
        long[] samples = new long[31];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = i % 2 == 0 ? 180 : 230;
        }
        // and a last sample caught right before a commit
        samples[30] = 260;

        // when / then
        assertThat(BacklogTrend.growing(samples, 1000, 0.25, 100)).isFalse();
    }

    @Test
    void shouldNotSeeADrainingBacklogAsGrowing() {
        // given a backlog left by the ramp that shrinks through the window
        long[] samples = {900, 700, 500, 300, 250, 240, 250, 245};

        // when / then
        assertThat(BacklogTrend.growth(samples)).isNegative();
        assertThat(BacklogTrend.growing(samples, 1000, 0.25, 100)).isFalse();
    }

    @Test
    void shouldUseTheMinimumToleranceAtLowRates() {
        // given 20 orders/s: 0.25 s of arrivals is 5 orders, the floor is 100
        long[] samples = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        // when / then: growth 100 is not above the floor, 110 is
        assertThat(BacklogTrend.tolerance(20, 0.25, 100)).isEqualTo(100);
        assertThat(BacklogTrend.growing(samples, 20, 0.25, 100)).isFalse();
        samples[10] = 120;
        assertThat(BacklogTrend.growing(samples, 20, 0.25, 100)).isTrue();
    }

    @Test
    void shouldTreatTooFewSamplesAsNoGrowth() {
        assertThat(BacklogTrend.growth(new long[] {5})).isZero();
        assertThat(BacklogTrend.growth(new long[0])).isZero();
    }
}
