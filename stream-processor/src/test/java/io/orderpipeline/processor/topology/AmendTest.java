package io.orderpipeline.processor.topology;

import static io.orderpipeline.processor.topology.VenueExecutionsTest.exposure;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.account.AccountLimits;
import io.orderpipeline.processor.placement.ReplaceRequest;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AMEND: validated again, sent as a cancel/replace, confirmed or refused by the venue. */
class AmendTest {

    @Test
    void shouldAmendQuantityAndPriceOnceVenueReplacesOrder() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given a placed order of 10 at 187.25 (1,872.50 open)
            fixture.send(OrderCommands.place("o-1").buy(10).limit("187.25").build());
            fixture.venue().acknowledge("o-1");

            // when it is amended to 20 at 187.30
            fixture.amend("o-1", 20, "187.30");

            // then a replace goes to the venue, and the order waits with the larger shape reserved
            OrderState requested = fixture.state("o-1").orElseThrow();
            assertThat(requested.getPendingRequest()).isEqualTo("AMEND");
            assertThat(requested.getPendingQuantity()).isEqualTo(20L);
            assertThat(requested.getPendingPrice()).isEqualByComparingTo("187.30");
            assertThat(requested.getQuantity()).isEqualTo(10L);
            assertThat(fixture.venue().replaces("o-1"))
                    .singleElement()
                    .extracting(ReplaceRequest::requestId, ReplaceRequest::quantity)
                    .containsExactly("o-1:a2", 20L);
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("3746");

            // and when the venue confirms, the order is 20 at 187.30
            fixture.venue().replaced("o-1");
            OrderState amended = fixture.state("o-1").orElseThrow();
            assertThat(amended.getQuantity()).isEqualTo(20L);
            assertThat(amended.getPrice()).isEqualByComparingTo("187.30");
            assertThat(amended.getLeavesQuantity()).isEqualTo(20L);
            assertThat(amended.getPendingRequest()).isNull();
            assertThat(amended.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(amended.getVersion()).isEqualTo(4L);
            OrderEvent event = fixture.events("o-1").get(3);
            assertThat(event.getType()).isEqualTo(OrderEventType.AMENDED);
            assertThat(event.getQuantity()).isEqualTo(20L);
        }
    }

    @Test
    void shouldKeepOrderAsItWasWhenVenueRefusesReplace() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an amend from 10 to 30 waiting for the venue
            fixture.send(OrderCommands.place("o-1").buy(10).limit("190.00").build());
            fixture.venue().acknowledge("o-1");
            fixture.amend("o-1", 30, null);
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("5700");

            // when the venue refuses it
            fixture.venue().replaceRejected("o-1");

            // then quantity, price and the reserved notional are as before, the request cleared
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getQuantity()).isEqualTo(10L);
            assertThat(state.getPendingRequest()).isNull();
            assertThat(state.getPendingQuantity()).isNull();
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("1900");
            assertThat(fixture.events("o-1")
                            .get(fixture.events("o-1").size() - 1)
                            .getType())
                    .isEqualTo(OrderEventType.AMEND_REJECTED);
        }
    }

    @Test
    void shouldRefuseInvalidAmendAtOnceWithoutSendingIt() {
        AccountLimits limits = new AccountLimits(new BigDecimal("1000000"), Map.of("acc-1", new BigDecimal("10000")));
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(TopologySettings.defaults().withAccounts(limits))
                .venue()
                .build()) {
            // given a placed LIMIT order of 10 with 4 filled, and a placed MARKET order
            fixture.send(OrderCommands.place("o-1").buy(10).limit("190.00").build());
            fixture.venue().acknowledge("o-1");
            fixture.venue().fill("o-1", 4, "190.00");
            fixture.send(OrderCommands.place("o-2")
                    .clientOrderId("m")
                    .market()
                    .buy(5)
                    .build());
            fixture.venue().acknowledge("o-2");
            long version = fixture.state("o-1").orElseThrow().getVersion();

            // when amends break the rules: at or below the filled quantity, off tick, outside the band, above the
            // account's limit, a price for a MARKET order, nothing to change
            fixture.amend("o-1", 4, null);
            fixture.amend("o-1", 0, "190.005");
            fixture.amend("o-1", 0, "250.00");
            fixture.amend("o-1", 60, null);
            fixture.amend("o-2", 0, "190.00");
            fixture.amend("o-1", 10, "190.00");

            // then each is refused with its reason, nothing changes, nothing reaches the venue
            assertThat(fixture.events())
                    .filteredOn(e -> e.getType() == OrderEventType.AMEND_REJECTED)
                    .extracting(e -> e.getReasons().get(0))
                    .containsExactly(
                            "QUANTITY_NOT_ABOVE_FILLED",
                            "PRICE_NOT_ON_TICK",
                            "PRICE_OUTSIDE_BAND",
                            "ACCOUNT_LIMIT_EXCEEDED",
                            "PRICE_NOT_ALLOWED",
                            "NOTHING_TO_AMEND");
            assertThat(fixture.state("o-1").orElseThrow().getVersion()).isEqualTo(version);
            assertThat(fixture.venue().replaces("o-1")).isEmpty();
            assertThat(fixture.venue().replaces("o-2")).isEmpty();
        }
    }

    @Test
    void shouldRefuseAmendOfUnacknowledgedOrEndedOrderAndDropForeignOne() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order not acknowledged yet, and one cancelled
            fixture.send(OrderCommands.place("o-1").build());
            fixture.send(OrderCommands.place("o-2").clientOrderId("c2").build());
            fixture.venue().acknowledge("o-2");
            fixture.cancel("o-2");
            fixture.venue().cancelled("o-2");

            // when both are amended, and an amend for o-1 names another account
            fixture.amend("o-1", 20, null);
            fixture.amend("o-2", 20, null);
            var foreign = OrderCommands.amend("o-1", 30, null);
            foreign.setAccountId("acc-3");
            fixture.send(foreign);

            // then the first two are refused with their reasons and the foreign one leaves no trace
            assertThat(fixture.events())
                    .filteredOn(e -> e.getType() == OrderEventType.AMEND_REJECTED)
                    .extracting(OrderEvent::getOrderId, e -> e.getReasons().get(0))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("o-1", "ORDER_NOT_ACKNOWLEDGED"),
                            org.assertj.core.groups.Tuple.tuple("o-2", "ORDER_NOT_LIVE"));
        }
    }

    @Test
    void shouldAmendAtOnceWhenExchangeAnswersDirectly() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given an order the in-process exchange acknowledged
            fixture.send(OrderCommands.place("o-1").buy(10).limit("190.00").build());

            // when it is amended to 5
            fixture.amend("o-1", 5, null);

            // then it is AMENDED directly, and holds only the smaller notional
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getQuantity()).isEqualTo(5L);
            assertThat(state.getPendingRequest()).isNull();
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("950");
        }
    }
}
