package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.orderpipeline.processor.account.AccountLimits;
import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.processor.placement.RetryPolicy;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.processor.testing.ScriptedExchange;
import io.orderpipeline.processor.testing.ScriptedExchange.Outcome;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** REPLAY: an operator reopens a FAILED order ({@code FAILED -> RETRYING}), validated again, exactly once. */
class ReplayTest {

    /** Two attempts, 250 ms apart, no jitter. */
    private static final TopologySettings TWO_ATTEMPTS = TopologySettings.defaults()
            .withRetry(RetryPolicy.defaults().withJitter(0.0).withMaxAttempts(2));

    @Test
    void shouldReopenAFailedOrderForANewRoundOfAttemptsThenPlaceIt() {
        // given an order that failed after its two attempts, and an exchange that works again
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL, Outcome.FAIL);
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(TWO_ATTEMPTS)
                .exchange(exchange)
                .build()) {
            fixture.send(OrderCommands.place("o-1").build());
            fixture.advance(Duration.ofSeconds(1));
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.FAILED);
            Instant replayedAt = fixture.now();

            // when ops replays it
            fixture.send(replay("o-1"));

            // then RETRYING (version + 1, attempts back to 0, due now, reasons cleared), attempt 1 of a new round,
            // PLACED
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion, OrderState::getAttempts)
                    .containsExactly(
                            tuple(OrderStatus.PENDING, 1L, 0),
                            tuple(OrderStatus.RETRYING, 2L, 1),
                            tuple(OrderStatus.FAILED, 3L, 2),
                            tuple(OrderStatus.RETRYING, 4L, 0),
                            tuple(OrderStatus.PLACED, 5L, 1));
            OrderState reopened = fixture.stateHistory("o-1").get(3);
            assertThat(reopened.getNextAttemptAt()).isEqualTo(replayedAt);
            assertThat(reopened.getReasons()).isEmpty();
            assertThat(exchange.requests("o-1")).extracting(r -> r.attempt()).containsExactly(1, 2, 1);
            // and the REPLAYED event names the operator and the transition
            OrderEvent replayed = fixture.events("o-1").stream()
                    .filter(e -> e.getType() == OrderEventType.REPLAYED)
                    .findFirst()
                    .orElseThrow();
            assertThat(replayed.getPrincipal()).isEqualTo("ops");
            assertThat(replayed.getPreviousStatus()).isEqualTo(OrderStatus.FAILED);
            assertThat(replayed.getStatus()).isEqualTo(OrderStatus.RETRYING);
            assertThat(replayed.getVersion()).isEqualTo(4L);
        }
    }

    @Test
    void shouldReopenOnceWhenTheSameReplayArrivesTwice() {
        // given a FAILED order and an exchange that holds the next attempt unanswered
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL, Outcome.FAIL, Outcome.HOLD);
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(TWO_ATTEMPTS)
                .exchange(exchange)
                .build()) {
            fixture.send(OrderCommands.place("o-1").build());
            fixture.advance(Duration.ofSeconds(1));
            OrderCommand replay = replay("o-1");

            // when the replay is delivered twice (a repeated request), then once more after the order is placed
            fixture.send(replay);
            fixture.send(replay);
            exchange.release("o-1");
            fixture.advance(Duration.ofMillis(200));
            fixture.send(replay("o-1"));

            // then one reopening, one new attempt; the repeats are REPLAY_IGNORED no-ops with the version they saw
            assertThat(fixture.events("o-1"))
                    .filteredOn(
                            e -> e.getType() == OrderEventType.REPLAYED || e.getType() == OrderEventType.REPLAY_IGNORED)
                    .extracting(OrderEvent::getType, OrderEvent::getVersion, OrderEvent::getStatus)
                    .containsExactly(
                            tuple(OrderEventType.REPLAYED, 4L, OrderStatus.RETRYING),
                            tuple(OrderEventType.REPLAY_IGNORED, 4L, OrderStatus.RETRYING),
                            tuple(OrderEventType.REPLAY_IGNORED, 5L, OrderStatus.PLACED));
            assertThat(exchange.requests("o-1")).hasSize(3);
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getVersion)
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void shouldIgnoreAReplayOfAnOrderThatIsNotFailed() {
        // given a placed order and a rejected one
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            fixture.send(OrderCommands.place("o-1").build());
            fixture.send(OrderCommands.place("o-2").limit("300.00").build());
            assertThat(fixture.state("o-2").orElseThrow().getStatus()).isEqualTo(OrderStatus.REJECTED);

            // when both are replayed, and an unknown order too
            fixture.send(replay("o-1"));
            fixture.send(replay("o-2"));
            fixture.send(replay("o-unknown"));

            // then nothing changes: REPLAY_IGNORED at the current version, no state written, nothing for the unknown
            assertThat(fixture.stateHistory("o-1")).hasSize(2);
            assertThat(fixture.stateHistory("o-2")).hasSize(2);
            assertThat(fixture.events("o-1")).last().satisfies(e -> {
                assertThat(e.getType()).isEqualTo(OrderEventType.REPLAY_IGNORED);
                assertThat(e.getVersion()).isEqualTo(2L);
                assertThat(e.getDetail()).contains("PLACED, not FAILED");
                assertThat(e.getPrincipal()).isEqualTo("ops");
            });
            assertThat(fixture.events("o-2"))
                    .last()
                    .extracting(OrderEvent::getType, OrderEvent::getStatus)
                    .containsExactly(OrderEventType.REPLAY_IGNORED, OrderStatus.REJECTED);
            assertThat(fixture.events("o-unknown")).isEmpty();
        }
    }

    @Test
    void shouldLeaveTheOrderFailedWhenItNoLongerPassesValidation() {
        // given an order that failed, then its instrument was halted
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.REJECT);
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            fixture.send(OrderCommands.place("o-1").build());
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.FAILED);
            Instrument halted = Instrument.newBuilder(DefaultInstruments.instrument("AAPL", "190.00"))
                    .setTradable(false)
                    .build();
            fixture.putInstrument(halted);

            // when it is replayed
            fixture.send(replay("o-1"));

            // then it stays FAILED (no new version, nothing sent) and the refusal names the reason
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getVersion)
                    .containsExactly(1L, 2L);
            assertThat(exchange.requests("o-1")).hasSize(1);
            assertThat(fixture.events("o-1")).last().satisfies(e -> {
                assertThat(e.getType()).isEqualTo(OrderEventType.REPLAY_IGNORED);
                assertThat(e.getStatus()).isEqualTo(OrderStatus.FAILED);
                assertThat(e.getReasons()).containsExactly("INSTRUMENT_NOT_TRADABLE");
            });
        }
    }

    @Test
    void shouldLeaveTheOrderFailedWhenTheAccountLimitNoLongerHoldsIt() {
        // given a limit of 2,000 per account, an order (1,872.50) that failed, then another order holding the limit
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.REJECT);
        TopologySettings settings =
                TopologySettings.defaults().withAccounts(new AccountLimits(new BigDecimal("2000"), Map.of()));
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(settings)
                .exchange(exchange)
                .build()) {
            fixture.send(OrderCommands.place("o-1").build());
            fixture.send(OrderCommands.place("o-2").build());
            assertThat(fixture.state("o-2").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);

            // when o-1 is replayed
            fixture.send(replay("o-1"));

            // then it stays FAILED: the account has no room for it now
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.FAILED);
            assertThat(fixture.events("o-1")).last().satisfies(e -> {
                assertThat(e.getType()).isEqualTo(OrderEventType.REPLAY_IGNORED);
                assertThat(e.getReasons()).containsExactly("ACCOUNT_LIMIT_EXCEEDED");
            });

            // and once o-2 is cancelled, the same replay reopens it
            fixture.cancel("o-2");
            fixture.send(replay("o-1"));
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    private static OrderCommand replay(String orderId) {
        return OrderCommands.replay(orderId, "ops");
    }
}
