package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderpipeline.localstack.RestartPolicy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final RestartPolicy POLICY =
            new RestartPolicy(5, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void shouldDoubleTheDelayWithEachExitUpToTheMaximum() {
        // given a policy that allows many exits
        RestartPolicy patient =
                new RestartPolicy(100, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(30));
        List<Instant> exits = new ArrayList<>();
        List<Duration> delays = new ArrayList<>();

        // when a service exits eight times, a second apart
        for (int i = 0; i < 8; i++) {
            Instant now = T0.plusSeconds(i);
            exits.add(now);
            delays.add(((Decision.Restart) patient.decide(exits, now)).delay());
        }

        // then 1, 2, 4, 8, 16 s, then capped at 30 s
        assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void shouldGiveUpOnTheLimitthExitWithinTheWindow() {
        // given four exits within a minute, each restarted
        List<Instant> exits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            exits.add(T0.plusSeconds(15L * i));
            assertThat(POLICY.decide(exits, exits.get(i))).isInstanceOf(Decision.Restart.class);
        }

        // when the fifth comes within the five minutes
        exits.add(T0.plusSeconds(290));
        Decision fifth = POLICY.decide(exits, T0.plusSeconds(290));

        // then the policy gives up and says after how many exits within which window
        assertThat(fifth).isEqualTo(new Decision.GiveUp(5, Duration.ofMinutes(5)));
    }

    @Test
    void shouldStartAgainFromTheFirstDelayAfterAQuietWindow() {
        // given four quick exits, the last restarted after 8 s
        List<Instant> exits = new ArrayList<>(List.of(T0, T0.plusSeconds(5), T0.plusSeconds(10), T0.plusSeconds(20)));
        assertThat(POLICY.decide(exits, T0.plusSeconds(20))).isEqualTo(new Decision.Restart(Duration.ofSeconds(8), 4));

        // when the service then stays up for longer than the window and exits again
        Instant later = T0.plusSeconds(20).plus(Duration.ofMinutes(5)).plusSeconds(1);
        exits.add(later);
        Decision decision = POLICY.decide(exits, later);

        // then only this exit counts: restarted after the first delay, no give-up
        assertThat(decision).isEqualTo(new Decision.Restart(Duration.ofSeconds(1), 1));
    }

    @Test
    void shouldCountOnlyExitsInsideTheWindow() {
        // given exits spread so that never more than four fall within five minutes
        List<Instant> exits = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Instant now = T0.plusSeconds(80L * i);
            exits.add(now);

            // when / then every one is restarted
            assertThat(POLICY.decide(exits, now)).isInstanceOf(Decision.Restart.class);
        }
    }

    @Test
    void shouldGiveUpAtOnceWithALimitOfOne() {
        RestartPolicy never =
                new RestartPolicy(1, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(never.decide(List.of(T0), T0)).isInstanceOf(Decision.GiveUp.class);
    }

    @Test
    void shouldRejectANonPositiveLimitOrWindow() {
        assertThatThrownBy(() ->
                        new RestartPolicy(0, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestartPolicy(5, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
