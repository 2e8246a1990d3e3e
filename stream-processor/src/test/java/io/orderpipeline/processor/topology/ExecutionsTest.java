package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pure decisions on venue reports, without Kafka: state + report -> decision. */
class ExecutionsTest {

    private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");

    @Test
    void shouldComputeVolumeWeightedAveragePriceAndLeavesOverFills() {
        // given a placed order of 10
        OrderState placed = placed();

        // when 3 fill at 100.00 and then 7 at 101.00
        OrderState first = apply(placed, trade("e-1", 3, "100.00"));
        OrderState second = apply(first, trade("e-2", 7, "101.00"));

        // then
        assertThat(first.getStatus()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
        assertThat(first.getLeavesQuantity()).isEqualTo(7L);
        assertThat(second.getStatus()).isEqualTo(OrderStatus.FILLED);
        assertThat(second.getAveragePrice()).isEqualByComparingTo("100.70");
        assertThat(second.getLeavesQuantity()).isZero();
        assertThat(second.getVersion()).isEqualTo(placed.getVersion() + 2);
    }

    @Test
    void shouldIgnoreReportsThatChangeNothing() {
        // given a placed order with one fill
        OrderState filledOnce = apply(placed(), trade("e-1", 3, "100.00"));

        // when the same fill, a second NEW, a cancel reject without pending cancel and a REJECTED arrive
        // then each is ignored
        assertThat(Executions.decide(filledOnce, trade("e-1", 3, "100.00"), T0)).isInstanceOf(Executions.Ignore.class);
        assertThat(Executions.decide(
                        filledOnce, report("e-2", ExecutionType.NEW).build(), T0))
                .isInstanceOf(Executions.Ignore.class);
        assertThat(Executions.decide(
                        filledOnce, report("e-3", ExecutionType.CANCEL_REJECTED).build(), T0))
                .isInstanceOf(Executions.Ignore.class);
        assertThat(Executions.decide(
                        filledOnce, report("e-4", ExecutionType.REJECTED).build(), T0))
                .isInstanceOf(Executions.Ignore.class);
    }

    @Test
    void shouldTreatRejectedAttemptAsRetryableOrFatalAsTheVenueSays() {
        OrderState pending = pending();

        Executions.Decision transient_ = Executions.decide(
                pending,
                report("e-1", ExecutionType.REJECTED).setRetryable(true).build(),
                T0);
        Executions.Decision fatal = Executions.decide(
                pending,
                report("e-2", ExecutionType.REJECTED).setRetryable(false).build(),
                T0);

        assertThat(transient_)
                .isInstanceOfSatisfying(
                        Executions.AttemptRejected.class,
                        r -> assertThat(r.retryable()).isTrue());
        assertThat(fatal)
                .isInstanceOfSatisfying(
                        Executions.AttemptRejected.class,
                        r -> assertThat(r.retryable()).isFalse());
    }

    @Test
    void shouldRecordLateFillOnEndedOrderWithoutChangingItsStatus() {
        // given a cancelled order
        OrderState cancelled = OrderTransitions.cancelled(placed(), T0);

        // when a fill arrives
        Executions.Decision decision = Executions.decide(cancelled, trade("e-9", 2, "100.00"), T0);

        // then it is recorded with version + 1, status kept
        assertThat(decision).isInstanceOfSatisfying(Executions.Apply.class, apply -> {
            assertThat(apply.type()).isEqualTo(OrderEventType.PARTIALLY_FILLED);
            assertThat(apply.next().getStatus()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(apply.next().getFilledQuantity()).isEqualTo(2L);
            assertThat(apply.next().getVersion()).isEqualTo(cancelled.getVersion() + 1);
        });
    }

    @Test
    void shouldApplyReplaceWithVenueQuantityAndPrice() {
        // given an amend to 20 at 101.00 waiting for the venue
        OrderState requested = OrderTransitions.amendRequested(placed(), 20, new BigDecimal("101.00"), T0);

        // when the venue replaces the order
        OrderState amended = apply(
                requested,
                report("e-5", ExecutionType.REPLACED)
                        .setOrderQuantity(20)
                        .setPrice(new BigDecimal("101.000000"))
                        .build());

        // then
        assertThat(amended.getQuantity()).isEqualTo(20L);
        assertThat(amended.getPrice()).isEqualByComparingTo("101.00");
        assertThat(amended.getPendingRequest()).isNull();
        assertThat(amended.getLeavesQuantity()).isEqualTo(20L);
    }

    @Test
    void shouldHoldLargerShapeWhileAmendIsPendingAndShrinkWithFills() {
        // given a placed order of 10 at 100.00 holding 1,000.00
        OrderState placed = placed();
        BigDecimal reserved = new BigDecimal("1000.000000");

        // when an amend to 20 is pending, and when 4 fill
        OrderState requested = OrderTransitions.amendRequested(placed, 20, placed.getPrice(), T0);
        OrderState filled = apply(placed, trade("e-1", 4, "100.00"));

        // then the pending amend holds 20 x 100.00, the fills leave 6 x 100.00
        assertThat(OpenNotional.target(placed, requested, reserved)).isEqualByComparingTo("2000");
        assertThat(OpenNotional.target(placed, filled, reserved)).isEqualByComparingTo("600");
    }

    private static OrderState apply(OrderState state, ExecutionReport report) {
        Executions.Decision decision = Executions.decide(state, report, T0);
        assertThat(decision).isInstanceOf(Executions.Apply.class);
        return ((Executions.Apply) decision).next();
    }

    private static OrderState pending() {
        return OrderTransitions.accepted(
                OrderCommands.place("o-1").buy(10).limit("100.00").build(), T0);
    }

    private static OrderState placed() {
        return OrderTransitions.placed(pending(), 1, "V-o-1", T0);
    }

    private static ExecutionReport trade(String executionId, long quantity, String price) {
        return report(executionId, ExecutionType.TRADE)
                .setLastQuantity(quantity)
                .setLastPrice(new BigDecimal(price).setScale(6))
                .build();
    }

    private static ExecutionReport.Builder report(String executionId, ExecutionType type) {
        return ExecutionReport.newBuilder()
                .setExecutionId(executionId)
                .setOrderId("o-1")
                .setAccountId("acc-1")
                .setType(type)
                .setVenueOrderId("V-o-1")
                .setTransactTime(T0)
                .setReceivedAt(T0);
    }
}
