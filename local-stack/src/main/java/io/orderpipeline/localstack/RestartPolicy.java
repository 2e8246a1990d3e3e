package io.orderpipeline.localstack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a supervised service that exited after start-up is started again: pure logic over the times of its exits,
 * no processes, so that a plain unit test drives it.
 *
 * <p>Only exits within the last {@code window} count. The first such exit is restarted after {@code firstDelay},
 * each further one after twice the previous delay, up to {@code maxDelay}; the {@code limit}-th exit within the
 * window gives up. A service that stays up for a whole window is back to a clean slate: its next exit is restarted
 * after {@code firstDelay} again.
 *
 * @param limit exits within {@code window} after which the service is no longer restarted
 *     ({@code LOCAL_STACK_RESTART_LIMIT}, 5)
 * @param window how far back exits count ({@code LOCAL_STACK_RESTART_WINDOW}, seconds, 300)
 * @param firstDelay the delay before the first restart (1 s)
 * @param maxDelay the longest delay (30 s)
 */
record RestartPolicy(int limit, Duration window, Duration firstDelay, Duration maxDelay) {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    RestartPolicy {
        if (limit < 1) {
            throw new IllegalArgumentException("the restart limit must be at least 1, not " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the restart window must be positive, not " + window);
        }
    }

    /**
     * What to do about the latest exit.
     *
     * @param exits when the service exited, oldest first, the latest being the one to decide about
     * @param now the time of the decision
     */
    Decision decide(List<Instant> exits, Instant now) {
        Instant since = now.minus(window);
        int recent = (int) exits.stream().filter(exit -> exit.isAfter(since)).count();
        if (recent >= limit) {
            return new Decision.GiveUp(recent, window);
        }
        return new Decision.Restart(delay(Math.max(recent, 1)), recent);
    }

    /** {@code firstDelay * 2^(exit - 1)}, at most {@code maxDelay}. */
    Duration delay(int exit) {
        Duration delay = firstDelay;
        for (int i = 1; i < exit && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** The outcome of {@link #decide}. */
    sealed interface Decision {

        /** Start the service again after {@code delay}; {@code recentExits} counts this exit. */
        record Restart(Duration delay, int recentExits) implements Decision {}

        /** Leave the service stopped: it exited {@code recentExits} times within {@code window}. */
        record GiveUp(int recentExits, Duration window) implements Decision {}
    }
}
