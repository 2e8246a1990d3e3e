package io.orderpipeline.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class StartupWaitTest {

    private final StartupWait wait = new StartupWait(Duration.ofSeconds(5), Duration.ofMillis(50));

    @Test
    void shouldRetryRetriableErrorsUntilTheStepSucceeds() {
        // given a step that fails as a broker does right after a topic was created, three times
        AtomicInteger calls = new AtomicInteger();

        // when it is waited for
        String result = wait.until("topic metadata", () -> switch (calls.incrementAndGet()) {
            case 1 -> throw new ExecutionException(new UnknownTopicOrPartitionException("not hosted yet"));
            case 2 -> throw new LeaderNotAvailableException("no leader yet");
            case 3 -> throw new ConnectException("connection refused");
            default -> "described";
        });

        // then it returns the fourth attempt's result
        assertThat(result).isEqualTo("described");
        assertThat(calls).hasValue(4);
    }

    @Test
    void shouldFailAtOnceOnANonRetriableError() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> wait.until("topic metadata", () -> {
                    calls.incrementAndGet();
                    throw new ExecutionException(new TopicAuthorizationException("denied"));
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed while waiting for topic metadata")
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldGiveUpAtTheDeadlineNamingWhatItWaitedFor() {
        // given a step that never succeeds
        StartupWait shortWait = new StartupWait(Duration.ofMillis(300), Duration.ofMillis(50));
        AtomicInteger calls = new AtomicInteger();

        // when it is waited for, then the failure names what was waited for and the last error
        assertThatThrownBy(() -> shortWait.run("the schema registry at http://127.0.0.1:1", () -> {
                    calls.incrementAndGet();
                    throw new ConnectException("connection refused");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gave up waiting for the schema registry at http://127.0.0.1:1 after PT0.3S")
                .hasMessageContaining("connection refused")
                .hasCauseInstanceOf(ConnectException.class);
        assertThat(calls.get()).isGreaterThan(1);
    }

    @Test
    void shouldDoubleTheBackoffUpToItsMaximumWithJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));

        assertThat(backoff.next()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        backoff.reset();
        assertThat(backoff.next()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    }
}
