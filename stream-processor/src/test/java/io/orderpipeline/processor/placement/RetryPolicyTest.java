package io.orderpipeline.processor.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void shouldGrowBackoffExponentiallyUpToTheCap() {
        // given 100 ms doubling, capped at 1 s, no jitter
        RetryPolicy policy = new RetryPolicy(10, 3, Duration.ofMillis(100), 2.0, 0.0, Duration.ofSeconds(1), 1L);

        // when / then
        assertThat(IntStream.rangeClosed(1, 6)
                        .mapToObj(n -> policy.backoffAfter("o-1", n).toMillis()))
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void shouldJitterWithinBoundsAndDeterministically() {
        // given 20% jitter around 1 s
        RetryPolicy policy = new RetryPolicy(5, 3, Duration.ofSeconds(1), 2.0, 0.2, Duration.ofMinutes(1), 1L);

        // when
        var delays = IntStream.range(0, 500)
                .mapToObj(i -> policy.backoffAfter("o-" + i, 1).toMillis())
                .toList();

        // then every delay is in [800, 1200], they are spread, and the same order always gets the same one
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(800L, 1200L));
        assertThat(delays.stream().mapToLong(Long::longValue).min().orElseThrow())
                .isLessThan(850L);
        assertThat(delays.stream().mapToLong(Long::longValue).max().orElseThrow())
                .isGreaterThan(1150L);
        assertThat(policy.backoffAfter("o-7", 1)).isEqualTo(Duration.ofMillis(delays.get(7)));
    }

    @Test
    void shouldUseOneTierPerAttemptAndReuseTheLast() {
        RetryPolicy policy = RetryPolicy.defaults();
        // given 3 tiers
        // when / then
        assertThat(IntStream.rangeClosed(1, 5).map(policy::tierAfter)).containsExactly(0, 1, 2, 2, 2);
        assertThat(policy.exhausted(4)).isFalse();
        assertThat(policy.exhausted(5)).isTrue();
    }

    @Test
    void shouldRefuseNonsense() {
        assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
