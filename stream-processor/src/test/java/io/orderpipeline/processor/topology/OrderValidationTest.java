package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.account.AccountLimits;
import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.processor.testing.ScriptedExchange;
import io.orderpipeline.processor.testing.ScriptedExchange.Outcome;
import io.orderpipeline.processor.validation.ValidationRules;
import io.orderpipeline.schemas.avro.AccountExposure;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.BigDecimal;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stateful validation: instrument reference data, then the account ledger. */
class OrderValidationTest {

    static Stream<Arguments> invalidOrders() {
        return Stream.of(
                Arguments.of("UNKNOWN_SYMBOL", OrderCommands.place("o").symbol("NOPE")),
                Arguments.of(
                        "INSTRUMENT_NOT_TRADABLE",
                        OrderCommands.place("o").symbol("HALT").limit("50.00")),
                Arguments.of("QUANTITY_NOT_POSITIVE", OrderCommands.place("o").buy(0)),
                Arguments.of("QUANTITY_TOO_LARGE", OrderCommands.place("o").buy(1_001)),
                Arguments.of(
                        "QUANTITY_NOT_LOT_MULTIPLE",
                        OrderCommands.place("o").symbol("LOT").buy(150).limit("50.00")),
                Arguments.of("PRICE_REQUIRED", OrderCommands.place("o").limit(null)),
                Arguments.of(
                        "PRICE_NOT_ALLOWED", OrderCommands.place("o").market().price("187.25")),
                Arguments.of("PRICE_NOT_POSITIVE", OrderCommands.place("o").limit("-1.00")),
                Arguments.of("PRICE_NOT_ON_TICK", OrderCommands.place("o").limit("187.255")),
                Arguments.of("PRICE_OUTSIDE_BAND", OrderCommands.place("o").limit("209.01")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOrders")
    void shouldRejectInvalidOrderWithMachineReadableReason(String reason, OrderCommands.Place order) {
        // given instruments including a halted one and one traded in lots of 100, and a max quantity of 1000
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(TopologySettings.defaults().withValidation(new ValidationRules(1_000)))
                .build()) {
            Instrument halted = DefaultInstruments.instrument("HALT", "50.00");
            halted.setTradable(false);
            fixture.putInstrument(halted);
            Instrument lots = DefaultInstruments.instrument("LOT", "50.00");
            lots.setLotSize(100L);
            fixture.putInstrument(lots);

            // when
            fixture.send(order.build());

            // then the order is accepted (v1) and rejected (v2) with exactly that reason
            OrderState state = fixture.state("o").orElseThrow();
            assertThat(state.getStatus()).isEqualTo(OrderStatus.REJECTED);
            assertThat(state.getReasons()).containsExactly(reason);
            assertThat(fixture.stateHistory("o"))
                    .extracting(OrderState::getVersion)
                    .containsExactly(1L, 2L);
            assertThat(fixture.events("o"))
                    .extracting(OrderEvent::getType)
                    .containsExactly(OrderEventType.ACCEPTED, OrderEventType.REJECTED);
        }
    }

    @Test
    void shouldReportEveryReasonAtOnce() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given an order off tick and outside the band, of zero quantity
            // when
            fixture.send(OrderCommands.place("o").buy(0).limit("300.001").build());

            // then
            assertThat(fixture.state("o").orElseThrow().getReasons())
                    .containsExactly("QUANTITY_NOT_POSITIVE", "PRICE_NOT_ON_TICK", "PRICE_OUTSIDE_BAND");
        }
    }

    @Test
    void shouldAcceptPricesAtTheEdgesOfTheBand() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given AAPL at 190.00 +/- 10%
            // when
            fixture.send(OrderCommands.place("low").limit("171.00").build());
            fixture.send(OrderCommands.place("high").limit("209.00").build());
            fixture.send(OrderCommands.place("market").market().build());

            // then
            assertThat(fixture.state("low").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(fixture.state("high").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(fixture.state("market").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldRejectDuplicateClientOrderIdWithinAnAccountOnly() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given an order with clientOrderId c-42 of account acc-1
            fixture.send(OrderCommands.place("o-1")
                    .account("acc-1")
                    .clientOrderId("c-42")
                    .build());

            // when another order of acc-1 and one of acc-2 reuse c-42
            fixture.send(OrderCommands.place("o-2")
                    .account("acc-1")
                    .clientOrderId("c-42")
                    .build());
            fixture.send(OrderCommands.place("o-3")
                    .account("acc-2")
                    .clientOrderId("c-42")
                    .build());

            // then only the second order of acc-1 is rejected
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
            OrderState duplicate = fixture.state("o-2").orElseThrow();
            assertThat(duplicate.getStatus()).isEqualTo(OrderStatus.REJECTED);
            assertThat(duplicate.getReasons()).containsExactly("DUPLICATE_CLIENT_ORDER_ID");
            assertThat(fixture.state("o-3").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldRejectOrderAboveOpenNotionalLimitAndReleaseNotionalWhenOrderEnds() {
        // given acc-1 may hold 10,000 open, and the exchange keeps failing o-1 so that it stays open (RETRYING)
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL, Outcome.FAIL, Outcome.FAIL);
        AccountLimits limits = new AccountLimits(new BigDecimal("1000000"), Map.of("acc-1", new BigDecimal("10000")));
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(TopologySettings.defaults().withAccounts(limits))
                .exchange(exchange)
                .build()) {
            fixture.send(order("o-1", "acc-1", 40, "190.00")); // 7,600 open
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.RETRYING);
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("7600");

            // when a second order would take acc-1 to 11,400, and another account orders the same
            fixture.send(order("o-2", "acc-1", 20, "190.00"));
            fixture.send(order("o-3", "acc-2", 20, "190.00"));

            // then acc-1's order is rejected, acc-2's is not
            OrderState rejected = fixture.state("o-2").orElseThrow();
            assertThat(rejected.getStatus()).isEqualTo(OrderStatus.REJECTED);
            assertThat(rejected.getReasons()).containsExactly("ACCOUNT_LIMIT_EXCEEDED");
            assertThat(fixture.state("o-3").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);

            // and when o-1 ends (cancelled), its notional is released and the same order now fits
            fixture.cancel("o-1");
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("0");
            assertThat(exposure(fixture, "acc-1").getOpenOrders()).isZero();
            fixture.send(order("o-4", "acc-1", 20, "190.00"));
            assertThat(fixture.state("o-4").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldHoldNotionalWhilePlacedAndReleaseItWhenOrderFails() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-2", Outcome.REJECT);
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given
            // when one order is placed and another fails
            fixture.send(order("o-1", "acc-1", 100, "190.00"));
            fixture.send(order("o-2", "acc-1", 100, "190.00"));

            // then only the placed one (open at the venue until filled or cancelled) holds its notional
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(fixture.state("o-2").orElseThrow().getStatus()).isEqualTo(OrderStatus.FAILED);
            assertThat(exposure(fixture, "acc-1").getOpenNotional()).isEqualByComparingTo("19000");
            assertThat(exposure(fixture, "acc-1").getOpenOrders()).isEqualTo(1);
        }
    }

    private static OrderCommand order(String orderId, String accountId, long quantity, String price) {
        return OrderCommands.place(orderId)
                .account(accountId)
                .buy(quantity)
                .limit(price)
                .build();
    }

    private static AccountExposure exposure(OrderTopologyFixture fixture, String accountId) {
        KeyValueStore<String, AccountExposure> store = fixture.driver().getKeyValueStore(OrderTopology.EXPOSURE_STORE);
        return store.get(accountId);
    }
}
