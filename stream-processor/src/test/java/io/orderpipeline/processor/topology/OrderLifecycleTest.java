package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.processor.testing.ScriptedExchange;
import io.orderpipeline.processor.testing.ScriptedExchange.Outcome;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The order state machine: creation, duplicates and cancels. */
class OrderLifecycleTest {

    @Test
    void shouldPlaceValidOrderThroughPendingToPlaced() {
        // RocksDB stores here, as in production; the other driver tests use the fixture's in-memory default
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .stores(TopologySettings.StoreType.PERSISTENT)
                .build()) {
            // given a valid limit order
            // when
            fixture.send(OrderCommands.place("o-1").build());

            // then
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(state.getVersion()).isEqualTo(2L);
            assertThat(state.getAttempts()).isEqualTo(1);
            assertThat(state.getExchangeOrderId()).startsWith("EX-");
            assertThat(state.getCreatedAt()).isEqualTo(fixture.now());
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion)
                    .containsExactly(tuple(OrderStatus.PENDING, 1L), tuple(OrderStatus.PLACED, 2L));
            assertThat(fixture.events("o-1"))
                    .extracting(OrderEvent::getType, OrderEvent::getVersion, OrderEvent::getPreviousStatus)
                    .containsExactly(
                            tuple(OrderEventType.ACCEPTED, 1L, null),
                            tuple(OrderEventType.PLACED, 2L, OrderStatus.PENDING));
        }
    }

    @Test
    void shouldIgnoreRepeatedPlaceCommandForExistingOrder() {
        ScriptedExchange exchange = new ScriptedExchange();
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given a placed order
            fixture.send(OrderCommands.place("o-1").build());

            // when the same orderId arrives again (a retried POST with the same Idempotency-Key)
            fixture.send(OrderCommands.place("o-1").commandId("again").build());

            // then no second order, no new version, one recorded no-op
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getVersion)
                    .containsExactly(1L, 2L);
            assertThat(fixture.state("o-1").orElseThrow().getVersion()).isEqualTo(2L);
            assertThat(exchange.requests("o-1")).hasSize(1);
            OrderEvent last = fixture.events("o-1").get(2);
            assertThat(last.getType()).isEqualTo(OrderEventType.DUPLICATE_IGNORED);
            assertThat(last.getVersion()).isEqualTo(2L);
            assertThat(last.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(last.getDetail()).contains("again");
        }
    }

    @Test
    void shouldIgnoreRepeatedPlaceCommandWhileOrderIsRetrying() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL);
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given an order waiting for its second attempt
            fixture.send(OrderCommands.place("o-1").build());

            // when the PLACE is repeated
            fixture.send(OrderCommands.place("o-1").commandId("again").build());
            fixture.advance(Duration.ofSeconds(1));

            // then the order is placed once, at its second attempt, with versions 1..3
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion)
                    .containsExactly(
                            tuple(OrderStatus.PENDING, 1L),
                            tuple(OrderStatus.RETRYING, 2L),
                            tuple(OrderStatus.PLACED, 3L));
            assertThat(exchange.requests("o-1")).hasSize(2);
        }
    }

    @Test
    void shouldRecordCancelOfTerminalOrderAsNoOp() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given an order that ended REJECTED (price outside the band)
            fixture.send(OrderCommands.place("o-1").limit("1.00").build());

            // when it is cancelled
            fixture.cancel("o-1");

            // then it stays REJECTED at version 2, and the cancel is recorded
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.REJECTED);
            assertThat(fixture.stateHistory("o-1")).hasSize(2);
            OrderEvent ignored = fixture.events("o-1").get(2);
            assertThat(ignored.getType()).isEqualTo(OrderEventType.CANCEL_IGNORED);
            assertThat(ignored.getVersion()).isEqualTo(2L);
            assertThat(ignored.getStatus()).isEqualTo(OrderStatus.REJECTED);
        }
    }

    @Test
    void shouldCancelPlacedOrderAtOnceWhenExchangeAnswersDirectly() {
        ScriptedExchange exchange = new ScriptedExchange();
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given an order the in-process exchange acknowledged
            fixture.send(OrderCommands.place("o-1").build());

            // when it is cancelled
            fixture.cancel("o-1");

            // then the exchange cancelled it directly and the order ended CANCELLED (version 3)
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion)
                    .containsExactly(
                            tuple(OrderStatus.PENDING, 1L),
                            tuple(OrderStatus.PLACED, 2L),
                            tuple(OrderStatus.CANCELLED, 3L));
            assertThat(exchange.wasCancelled("o-1")).isTrue();
        }
    }

    @Test
    void shouldCancelPendingOrderWhoseExchangeAnswerIsOutstanding() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.HOLD);
        TopologySettings shortTimeout = TopologySettings.defaults().withPlacementTimeout(Duration.ofMillis(500));
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(shortTimeout)
                .exchange(exchange)
                .build()) {
            // given an order whose placement the exchange has not answered yet
            fixture.send(OrderCommands.place("o-1").build());
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PENDING);

            // when it is cancelled, and the exchange answers afterwards, and the attempt's timeout passes
            fixture.cancel("o-1");
            exchange.release("o-1");
            fixture.advance(Duration.ofSeconds(1));

            // then it ends CANCELLED (version 2), the exchange was told to withdraw it, and the late answer changed
            // nothing
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion)
                    .containsExactly(tuple(OrderStatus.PENDING, 1L), tuple(OrderStatus.CANCELLED, 2L));
            assertThat(exchange.wasCancelled("o-1")).isTrue();
            assertThat(exchange.requests("o-1")).hasSize(1);
        }
    }

    @Test
    void shouldDropCancelOfUnknownOrder() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given no order
            // when
            fixture.cancel("ghost");

            // then nothing is written and nothing goes to the dead-letter queue
            assertThat(fixture.states()).isEmpty();
            assertThat(fixture.events()).isEmpty();
            assertThat(fixture.deadLetterQueue()).isEmpty();
        }
    }

    @Test
    void shouldTreatCancelNamingAnotherAccountLikeCancelOfUnknownOrder() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.HOLD);
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given a pending order of acc-1
            fixture.send(OrderCommands.place("o-1").account("acc-1").build());
            int events = fixture.events("o-1").size();

            // when a cancel for it names acc-3 (a route collision or a forged command)
            fixture.send(OrderCommands.cancel("o-1", "acc-3"));

            // then nothing of the order changes, no event tells the sender anything, the exchange keeps it
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus)
                    .containsExactly(OrderStatus.PENDING);
            assertThat(fixture.events("o-1")).hasSize(events);
            assertThat(exchange.wasCancelled("o-1")).isFalse();

            // and a cancel naming the order's own account still works
            fixture.send(OrderCommands.cancel("o-1", "acc-1"));
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.CANCELLED);
        }
    }
}
