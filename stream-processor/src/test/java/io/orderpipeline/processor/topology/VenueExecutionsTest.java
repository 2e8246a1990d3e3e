package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.orderpipeline.processor.account.AccountLimits;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.schemas.avro.AccountExposure;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The topology follows the venue's execution reports: acknowledgements, fills, cancels, duplicates, late reports. */
class VenueExecutionsTest {

    @Test
    void shouldStayPendingUntilVenueAcknowledgesThenFillPartlyThenFully() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order sent to the venue
            fixture.send(OrderCommands.place("o-1").buy(10).limit("187.25").build());
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PENDING);
            assertThat(fixture.venue().placements("o-1")).hasSize(1);

            // when the venue acknowledges it and fills 4 at 187.20, then 6 at 187.25
            fixture.venue().acknowledge("o-1");
            fixture.venue().fill("o-1", 4, "187.20");
            fixture.venue().fill("o-1", 6, "187.25");

            // then PENDING -> PLACED -> PARTIALLY_FILLED -> FILLED with contiguous versions
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion, OrderState::getFilledQuantity)
                    .containsExactly(
                            tuple(OrderStatus.PENDING, 1L, 0L),
                            tuple(OrderStatus.PLACED, 2L, 0L),
                            tuple(OrderStatus.PARTIALLY_FILLED, 3L, 4L),
                            tuple(OrderStatus.FILLED, 4L, 10L));
            assertThat(state.getExchangeOrderId()).isEqualTo("V-o-1");
            assertThat(state.getAttempts()).isEqualTo(1);
            assertThat(state.getLeavesQuantity()).isZero();
            // (4 x 187.20 + 6 x 187.25) / 10
            assertThat(state.getAveragePrice()).isEqualByComparingTo("187.23");
            assertThat(state.getFills()).extracting(Fill::getQuantity).containsExactly(4L, 6L);
            assertThat(fixture.events("o-1"))
                    .extracting(
                            OrderEvent::getType,
                            e -> e.getFill() == null ? null : e.getFill().getQuantity())
                    .containsExactly(
                            tuple(OrderEventType.ACCEPTED, null),
                            tuple(OrderEventType.PLACED, null),
                            tuple(OrderEventType.PARTIALLY_FILLED, 4L),
                            tuple(OrderEventType.FILLED, 6L));
            assertThat(fixture.events("o-1").get(2).getLeavesQuantity()).isEqualTo(6L);
        }
    }

    @Test
    void shouldIgnoreSameExecutionIdTwice() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given a placed order with one fill
            fixture.send(OrderCommands.place("o-1").buy(10).build());
            fixture.venue().acknowledge("o-1");
            ExecutionReport fill = fixture.venue().fill("o-1", 4, "187.20");
            long version = fixture.state("o-1").orElseThrow().getVersion();

            // when the same report arrives again (at-least-once delivery)
            fixture.venue().send(fill);

            // then it is recorded as a no-op: same version, the fill once
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getVersion()).isEqualTo(version);
            assertThat(state.getFilledQuantity()).isEqualTo(4L);
            assertThat(state.getFills()).hasSize(1);
            OrderEvent last = fixture.events("o-1").get(fixture.events("o-1").size() - 1);
            assertThat(last.getType()).isEqualTo(OrderEventType.EXECUTION_IGNORED);
            assertThat(last.getVersion()).isEqualTo(version);
        }
    }

    @Test
    void shouldPlaceAndFillWhenFillArrivesBeforeAcknowledgement() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order whose NEW is still on its way
            fixture.send(OrderCommands.place("o-1").buy(10).build());

            // when a fill arrives first, and the NEW after it
            fixture.venue().fill("o-1", 3, "187.00");
            fixture.venue().acknowledge("o-1");

            // then the fill placed and filled it; the late NEW changes nothing
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getStatus()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
            assertThat(state.getVersion()).isEqualTo(2L);
            assertThat(state.getAttempts()).isEqualTo(1);
            assertThat(state.getExchangeOrderId()).isEqualTo("V-o-1");
            assertThat(fixture.events("o-1"))
                    .extracting(OrderEvent::getType)
                    .containsExactly(
                            OrderEventType.ACCEPTED, OrderEventType.PARTIALLY_FILLED, OrderEventType.EXECUTION_IGNORED);
        }
    }

    @Test
    void shouldRequestCancelAtVenueAndEndCancelledOnItsReport() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given a placed order, partly filled
            fixture.send(OrderCommands.place("o-1").buy(10).build());
            fixture.venue().acknowledge("o-1");
            fixture.venue().fill("o-1", 4, "187.20");

            // when it is cancelled
            fixture.cancel("o-1");

            // then a cancel request goes to the venue, named after the version it was asked at
            OrderState requested = fixture.state("o-1").orElseThrow();
            assertThat(requested.getStatus()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
            assertThat(requested.getPendingRequest()).isEqualTo("CANCEL");
            assertThat(requested.getVersion()).isEqualTo(4L);
            assertThat(fixture.venue().cancels("o-1"))
                    .singleElement()
                    .satisfies(c -> assertThat(c.requestId()).isEqualTo("o-1:c3"));

            // and when the venue confirms, the order ends CANCELLED with its fill kept
            fixture.venue().cancelled("o-1");
            OrderState cancelled = fixture.state("o-1").orElseThrow();
            assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(cancelled.getVersion()).isEqualTo(5L);
            assertThat(cancelled.getPendingRequest()).isNull();
            assertThat(cancelled.getFilledQuantity()).isEqualTo(4L);
            assertThat(cancelled.getLeavesQuantity()).isZero();
            assertThat(fixture.events("o-1"))
                    .extracting(OrderEvent::getType)
                    .containsSubsequence(OrderEventType.CANCEL_REQUESTED, OrderEventType.CANCELLED);
        }
    }

    @Test
    void shouldClearPendingCancelWhenVenueRejectsIt() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given a cancel waiting for the venue
            fixture.send(OrderCommands.place("o-1").build());
            fixture.venue().acknowledge("o-1");
            fixture.cancel("o-1");

            // when the venue refuses it
            fixture.venue().cancelRejected("o-1");

            // then the order stays PLACED, without pending request, and can be cancelled again
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(state.getPendingRequest()).isNull();
            assertThat(state.getVersion()).isEqualTo(4L);
            assertThat(fixture.events("o-1").get(3).getType()).isEqualTo(OrderEventType.CANCEL_REJECTED);
            fixture.cancel("o-1");
            assertThat(fixture.venue().cancels("o-1"))
                    .extracting(c -> c.requestId())
                    .containsExactly("o-1:c2", "o-1:c4");
        }
    }

    @Test
    void shouldSendCancelAgainWhenOneIsPendingWithoutNewVersion() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given a cancel waiting for the venue
            fixture.send(OrderCommands.place("o-1").build());
            fixture.venue().acknowledge("o-1");
            fixture.cancel("o-1");

            // when the user cancels again (the first request may have been lost)
            fixture.cancel("o-1");

            // then the cancel is sent again under the current version, recorded as a no-op
            assertThat(fixture.venue().cancels("o-1"))
                    .extracting(c -> c.requestId())
                    .containsExactly("o-1:c2", "o-1:c3");
            assertThat(fixture.state("o-1").orElseThrow().getVersion()).isEqualTo(3L);
            assertThat(fixture.events("o-1").get(3).getType()).isEqualTo(OrderEventType.CANCEL_IGNORED);
        }
    }

    @Test
    void shouldNameWhoAskedOnEventsCommandsCause() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order placed by trader-1
            var place = OrderCommands.place("o-1").build();
            place.setPrincipal("trader-1");
            fixture.send(place);
            fixture.venue().acknowledge("o-1");

            // when trader-1 cancels it and the venue confirms
            var cancel = OrderCommands.cancel("o-1");
            cancel.setPrincipal("trader-1");
            fixture.send(cancel);
            fixture.venue().cancelled("o-1");

            // then the events the commands caused name trader-1, those the venue caused nobody
            assertThat(fixture.events("o-1"))
                    .extracting(OrderEvent::getType, OrderEvent::getPrincipal)
                    .containsExactly(
                            tuple(OrderEventType.ACCEPTED, "trader-1"),
                            tuple(OrderEventType.PLACED, null),
                            tuple(OrderEventType.CANCEL_REQUESTED, "trader-1"),
                            tuple(OrderEventType.CANCELLED, null));
        }
    }

    @Test
    void shouldRecordFillThatArrivesAfterCancel() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order the venue cancelled
            fixture.send(OrderCommands.place("o-1").buy(10).build());
            fixture.venue().acknowledge("o-1");
            fixture.cancel("o-1");
            fixture.venue().cancelled("o-1");

            // when a fill the venue made before the cancel arrives late (another session's report)
            fixture.venue().fill("o-1", 2, "187.10");

            // then it is recorded: status unchanged, version + 1, sum of fills = filledQuantity
            OrderState state = fixture.state("o-1").orElseThrow();
            assertThat(state.getStatus()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(state.getVersion()).isEqualTo(5L);
            assertThat(state.getFilledQuantity()).isEqualTo(2L);
            assertThat(state.getFills()).extracting(Fill::getQuantity).containsExactly(2L);
            OrderEvent late = fixture.events("o-1").get(fixture.events("o-1").size() - 1);
            assertThat(late.getType()).isEqualTo(OrderEventType.PARTIALLY_FILLED);
            assertThat(late.getStatus()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(late.getDetail()).contains("after the order ended CANCELLED");
        }
    }

    @Test
    void shouldEndExpiredOnVenueExpiry() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given
            fixture.send(OrderCommands.place("o-1").build());
            fixture.venue().acknowledge("o-1");

            // when
            fixture.venue().expired("o-1");
            fixture.venue().expired("o-1");

            // then
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.EXPIRED);
            assertThat(fixture.state("o-1").orElseThrow().getVersion()).isEqualTo(3L);
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("0");
        }
    }

    @Test
    void shouldDropReportsForUnknownOrdersAndOtherAccountsOrders() {
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().venue().build()) {
            // given an order of acc-1
            fixture.send(OrderCommands.place("o-1").account("acc-1").build());
            int events = fixture.events().size();

            // when a report names acc-3 for it, and another names an order nobody knows
            ExecutionReport forged = fixture.venue()
                    .report("o-1", ExecutionType.NEW)
                    .setAccountId("acc-3")
                    .build();
            fixture.report(forged);
            ExecutionReport ghost = ExecutionReport.newBuilder(forged)
                    .setOrderId("ghost")
                    .setAccountId("acc-1")
                    .build();
            fixture.report(ghost);

            // then nothing changes and nothing is written
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PENDING);
            assertThat(fixture.events()).hasSize(events);
            assertThat(fixture.state("ghost")).isEmpty();
            assertThat(fixture.deadLetterQueue()).isEmpty();
        }
    }

    @Test
    void shouldReleaseNotionalAsFillsAndCancelsArriveSoThatNextOrderFits() {
        // given acc-1 may hold 10,000 open and holds 40 x 190.00 = 7,600
        AccountLimits limits = new AccountLimits(new BigDecimal("1000000"), Map.of("acc-1", new BigDecimal("10000")));
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(TopologySettings.defaults().withAccounts(limits))
                .venue()
                .build()) {
            fixture.send(OrderCommands.place("o-1").buy(40).limit("190.00").build());
            fixture.venue().acknowledge("o-1");
            fixture.send(OrderCommands.place("o-2").buy(20).limit("190.00").build());
            assertThat(fixture.state("o-2").orElseThrow().getReasons()).containsExactly("ACCOUNT_LIMIT_EXCEEDED");

            // when 30 of o-1 fill: 10 x 190.00 = 1,900 stay open
            fixture.venue().fill("o-1", 30, "189.90");

            // then the same order now fits
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("1900");
            fixture.send(OrderCommands.place("o-3").buy(20).limit("190.00").build());
            assertThat(fixture.state("o-3").orElseThrow().getStatus()).isEqualTo(OrderStatus.PENDING);
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("5700");

            // and when the rest of o-1 is cancelled at the venue, its notional is released and o-1 no longer counts
            fixture.cancel("o-1");
            fixture.venue().cancelled("o-1");
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("3800");
            assertThat(exposure(fixture, "acc-1").getOpenOrders()).isEqualTo(1);
        }
    }

    static AccountExposure exposure(OrderTopologyFixture fixture, String accountId) {
        KeyValueStore<String, AccountExposure> store = fixture.driver().getKeyValueStore(OrderTopology.EXPOSURE_STORE);
        return store.get(accountId);
    }
}
