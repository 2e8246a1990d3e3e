package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.orderpipeline.processor.placement.PlacementRequest;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Placement at a venue that answers with reports: rejects, retries, timeouts and cancels of attempts in flight. */
class VenuePlacementTest {

    @Test
    void shouldRetryRetryableVenueRejectThenFill() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order the venue refuses for a passing reason (exchange closed)
            fixture.send(OrderCommands.place("o-1").buy(10).build());
            fixture.venue().rejected("o-1", true);
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.RETRYING);
            assertThat(fixture.retries(0)).hasSize(1);

            // when the retry (looped back through its tier) falls due and is sent with the same order id, and the venue
            // takes and fills it
            fixture.advance(Duration.ofSeconds(1));
            fixture.venue().acknowledge("o-1");
            fixture.venue().fill("o-1", 10, "187.25");

            // then
            assertThat(fixture.venue().placements("o-1"))
                    .extracting(PlacementRequest::orderId, PlacementRequest::attempt)
                    .containsExactly(tuple("o-1", 1), tuple("o-1", 2));
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getAttempts)
                    .containsExactly(
                            tuple(OrderStatus.PENDING, 0),
                            tuple(OrderStatus.RETRYING, 1),
                            tuple(OrderStatus.PLACED, 2),
                            tuple(OrderStatus.FILLED, 2));
        }
    }

    @Test
    void shouldFailFatalVenueRejectToDeadLetterTopic() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given
            fixture.send(OrderCommands.place("o-1").build());

            // when the venue refuses it for good, and says so twice
            var reject = fixture.venue().rejected("o-1", false);
            fixture.venue().send(reject);

            // then FAILED once, with one DLT record naming the venue's rejection
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getStatus()).isEqualTo(OrderStatus.FAILED);
            assertThat(state.getReasons()).containsExactly("EXCHANGE_REJECTED");
            assertThat(fixture.stateHistory("o-1")).hasSize(2);
            assertThat(fixture.deadLetters()).singleElement().satisfies(dead -> {
                assertThat(dead.key()).isEqualTo("o-1");
                assertThat(new String(
                                dead.headers()
                                        .lastHeader(DeadLetterHeaders.EXCEPTION_FQCN)
                                        .value(),
                                StandardCharsets.UTF_8))
                        .endsWith("ExchangeRejectedException");
            });
            assertThat(fixture.events("o-1")
                            .get(fixture.events("o-1").size() - 1)
                            .getType())
                    .isEqualTo(OrderEventType.EXECUTION_IGNORED);
        }
    }

    @Test
    void shouldRetryWithSameOrderIdWhenVenueDoesNotAnswerInTime() {
        TopologySettings settings = TopologySettings.defaults().withPlacementTimeout(Duration.ofMillis(500));
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().settings(settings).venue().build()) {
            // given an order whose NewOrderSingle got no report
            fixture.send(OrderCommands.place("o-1").build());

            // when its timeout passes
            fixture.advance(Duration.ofMillis(600));

            // then the attempt counts as a transient failure
            OrderState retrying = fixture.state("o-1").orElseThrow();
            assertThat(retrying.getStatus()).isEqualTo(OrderStatus.RETRYING);
            assertThat(retrying.getLastError()).contains("PlacementTimeoutException");

            // and when the retry runs (due after 250 ms +/- 20%), the venue (which had it) answers with the order's
            // status: PLACED
            fixture.advance(Duration.ofMillis(400));
            assertThat(fixture.venue().placements("o-1")).hasSize(2);
            fixture.venue().orderStatus("o-1");
            OrderState placed = fixture.state("o-1").orElseThrow();
            assertThat(placed.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(placed.getAttempts()).isEqualTo(2);

            // and its deadline no longer applies
            fixture.advance(Duration.ofSeconds(2));
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldNotTimeOutAttemptThatVenueAcknowledged() {
        TopologySettings settings = TopologySettings.defaults().withPlacementTimeout(Duration.ofMillis(500));
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().settings(settings).venue().build()) {
            // given
            fixture.send(OrderCommands.place("o-1").build());

            // when the venue acknowledges and the timeout passes
            fixture.venue().acknowledge("o-1");
            fixture.advance(Duration.ofSeconds(1));

            // then it stays PLACED at version 2, nothing was sent again
            assertThat(fixture.stateHistory("o-1")).hasSize(2);
            assertThat(fixture.venue().placements("o-1")).hasSize(1);
        }
    }

    @Test
    void shouldCancelOrderWaitingForRetryAtOnceAndWithdrawItAtVenue() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order waiting for its second attempt (nothing in flight)
            fixture.send(OrderCommands.place("o-1").build());
            fixture.venue().rejected("o-1", true);

            // when it is cancelled and its retry would have fallen due
            fixture.cancel("o-1");
            fixture.advance(Duration.ofSeconds(1));

            // then CANCELLED at once, the id withdrawn at the venue, no second attempt
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus)
                    .containsExactly(OrderStatus.PENDING, OrderStatus.RETRYING, OrderStatus.CANCELLED);
            assertThat(fixture.venue().cancels("o-1")).hasSize(1);
            assertThat(fixture.venue().placements("o-1")).hasSize(1);
        }
    }

    @Test
    void shouldEndCancelledWhenVenueRefusesPlacementOfOrderBeingCancelled() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order cancelled while its NewOrderSingle was in flight
            fixture.send(OrderCommands.place("o-1").build());
            fixture.cancel("o-1");
            assertThat(fixture.state("o-1").orElseThrow().getPendingRequest()).isEqualTo("CANCEL");

            // when the cancel reached the venue first: its tombstone refuses the order
            fixture.venue().rejected("o-1", false);

            // then the order ends CANCELLED, not FAILED, and nothing goes to the DLT
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(fixture.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldEndCancelledWhenCancelOvertookOrderAtVenue() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order cancelled while its NewOrderSingle was in flight
            fixture.send(OrderCommands.place("o-1").build());
            fixture.cancel("o-1");

            // when the venue, which has not seen the order, refuses the cancel as "unknown order" (and tombstones it)
            fixture.venue().cancelRejectedUnknown("o-1");
            fixture.venue().rejected("o-1", false);

            // then the order ends CANCELLED, and the tombstone's refusal that follows changes nothing
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus)
                    .containsExactly(OrderStatus.PENDING, OrderStatus.PENDING, OrderStatus.CANCELLED);
            assertThat(fixture.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldRecordCancelThatCouldNotBeSent() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given a placed order and no session to the venue
            fixture.send(OrderCommands.place("o-1").build());
            fixture.venue().acknowledge("o-1");
            fixture.venue().unreachable(true);

            // when it is cancelled
            fixture.cancel("o-1");

            // then it stays PLACED and the refusal is recorded without a new version
            assertThat(fixture.state("o-1").orElseThrow().getVersion()).isEqualTo(2L);
            assertThat(fixture.events("o-1").get(2).getType()).isEqualTo(OrderEventType.CANCEL_REJECTED);
            assertThat(fixture.events("o-1").get(2).getDetail()).contains("no session");
        }
    }
}
