package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import org.junit.jupiter.api.Test;

class OrderLifecycleTest {

    @Test
    void shouldPlaceValidOrderThroughPendingToPlaced() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given a valid limit order
            // when
            fixture.send(OrderCommands.place("o-1").build());

            // then
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(state.getVersion()).isEqualTo(2L);
            assertThat(state.getExchangeOrderId()).startsWith("EX-");
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(OrderStatus.PENDING, 1L),
                            org.assertj.core.groups.Tuple.tuple(OrderStatus.PLACED, 2L));
            assertThat(fixture.events("o-1"))
                    .extracting(OrderEvent::getType)
                    .containsExactly(OrderEventType.ACCEPTED, OrderEventType.PLACED);
        }
    }
}
