package io.orderpipeline.query.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.query.view.OrderView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionOutboxTest {

    private static final long LIMIT_NANOS = 1_000_000_000L;

    @Test
    void shouldHandOutOneMessageAtATimeInOrder() {
        // given
        SessionOutbox outbox = new SessionOutbox("s", 100, 10, LIMIT_NANOS);

        // when
        SessionOutbox.Step first = outbox.offer(null, message("a", 1), 0);
        SessionOutbox.Step second = outbox.offer(null, message("a", 2), 0);

        // then
        assertThat(first.next().state().version()).isEqualTo(1);
        assertThat(second.next()).as("nothing while one is in flight").isNull();
        assertThat(outbox.completed(1).state().version()).isEqualTo(2);
        assertThat(outbox.completed(2)).isNull();
    }

    @Test
    void shouldDeliverEveryVersionToASessionThatKeepsUp() {
        // given a session below the coalescing threshold
        SessionOutbox outbox = new SessionOutbox("s", 100, 10, LIMIT_NANOS);
        outbox.offer("k", message("a", 1), 0);

        // when
        outbox.offer("k", message("a", 2), 0);
        outbox.offer("k", message("a", 3), 0);

        // then
        assertThat(drain(outbox)).containsExactly(2L, 3L);
    }

    @Test
    void shouldCoalesceToTheLatestStatePerOrderOnceTheSessionLags() {
        // given a lagging session: one in flight and the threshold of waiting messages reached
        SessionOutbox outbox = new SessionOutbox("s", 100, 3, LIMIT_NANOS);
        outbox.offer("k-a", message("a", 1), 0); // in flight
        outbox.offer("k-a", message("a", 2), 0);
        outbox.offer("k-b", message("b", 1), 0);
        outbox.offer("k-c", message("c", 1), 0);

        // when newer states of a and b arrive
        outbox.offer("k-a", message("a", 3), 0);
        outbox.offer("k-a", message("a", 4), 0);
        outbox.offer("k-b", message("b", 2), 0);

        // then a's waiting message became v4 in place, b's became v2; nothing went backwards, nothing was added
        assertThat(outbox.waiting()).isEqualTo(3);
        assertThat(outbox.coalesced()).isEqualTo(3);
        List<String> sent = new ArrayList<>();
        for (SessionOutbox.Pending p = outbox.completed(1); p != null; p = outbox.completed(1)) {
            sent.add(p.state().orderId() + p.state().version());
        }
        assertThat(sent).containsExactly("a4", "b2", "c1");
    }

    @Test
    void shouldNeverCoalescePerOrderSubscriptions() {
        // given a lagging session
        SessionOutbox outbox = new SessionOutbox("s", 100, 1, LIMIT_NANOS);
        outbox.offer(null, message("a", 1), 0);
        outbox.offer(null, message("a", 2), 0);

        // when
        outbox.offer(null, message("a", 3), 0);

        // then
        assertThat(drain(outbox)).containsExactly(2L, 3L);
    }

    @Test
    void shouldReportASessionWithTooManyWaitingMessages() {
        // given
        SessionOutbox outbox = new SessionOutbox("s", 2, 100, LIMIT_NANOS);
        outbox.offer(null, message("a", 1), 0);
        outbox.offer(null, message("b", 1), 0);
        outbox.offer(null, message("c", 1), 0);

        // when
        SessionOutbox.Step step = outbox.offer(null, message("d", 1), 0);

        // then
        assertThat(step.ok()).isFalse();
        assertThat(step.problem()).contains("limit 2");
    }

    @Test
    void shouldReportASendPendingLongerThanTheLimit() {
        // given a message in flight since t=0
        SessionOutbox outbox = new SessionOutbox("s", 100, 100, LIMIT_NANOS);
        outbox.offer(null, message("a", 1), 0);

        // when
        SessionOutbox.Step early = outbox.offer(null, message("a", 2), LIMIT_NANOS / 2);
        SessionOutbox.Step late = outbox.offer(null, message("a", 3), LIMIT_NANOS + 1);

        // then
        assertThat(early.ok()).isTrue();
        assertThat(late.ok()).isFalse();
    }

    @Test
    void shouldDropEverythingOnceClosed() {
        SessionOutbox outbox = new SessionOutbox("s", 100, 100, LIMIT_NANOS);
        outbox.offer(null, message("a", 1), 0);
        outbox.offer(null, message("a", 2), 0);

        outbox.close();

        assertThat(outbox.completed(1)).isNull();
        assertThat(outbox.offer(null, message("a", 3), 1).next()).isNull();
    }

    private static List<Long> drain(SessionOutbox outbox) {
        List<Long> versions = new ArrayList<>();
        for (SessionOutbox.Pending p = outbox.completed(1); p != null; p = outbox.completed(1)) {
            versions.add(p.state().version());
        }
        return versions;
    }

    private static SessionOutbox.Pending message(String orderId, long version) {
        OrderView state = new OrderView(
                orderId,
                "acc",
                null,
                "AAPL",
                "BUY",
                "LIMIT",
                1,
                "1",
                "PENDING",
                version,
                0,
                List.of(),
                null,
                null,
                null,
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
                0,
                null,
                null,
                List.of(),
                null,
                null,
                null);
        return new SessionOutbox.Pending(
                "sub", state, new EncodedFrame("/topic/orders", "delta", orderId, version, "1", new byte[0]));
    }
}
