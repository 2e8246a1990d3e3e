package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.orderpipeline.processor.placement.ExchangeLedger;
import io.orderpipeline.processor.placement.RetryPolicy;
import io.orderpipeline.processor.placement.SimulatedExchange;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.processor.testing.ScriptedExchange;
import io.orderpipeline.processor.testing.ScriptedExchange.Outcome;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Placement through retry tiers with backoff, the dead-letter topic, timeouts and cancels. */
class PlacementRetryTest {

    /** 250 ms doubling, no jitter: attempt 2 at +250 ms, 3 at +750 ms, 4 at +1750 ms, 5 at +3750 ms. */
    private static final TopologySettings EXACT =
            TopologySettings.defaults().withRetry(RetryPolicy.defaults().withJitter(0.0));

    @Test
    void shouldRetryPlacementWithBackoffThenPlace() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL, Outcome.FAIL);
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(EXACT)
                .exchange(exchange)
                .build()) {
            Instant start = fixture.now();
            // given the exchange fails attempts 1 and 2
            // when
            fixture.send(OrderCommands.place("o-1").build());
            fixture.advance(Duration.ofSeconds(2));

            // then RETRYING twice (with attempt count and next attempt time), then PLACED at attempt 3
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(
                            OrderState::getStatus,
                            OrderState::getVersion,
                            OrderState::getAttempts,
                            OrderState::getNextAttemptAt)
                    .containsExactly(
                            tuple(OrderStatus.PENDING, 1L, 0, null),
                            tuple(OrderStatus.RETRYING, 2L, 1, start.plusMillis(250)),
                            tuple(OrderStatus.RETRYING, 3L, 2, start.plusMillis(750)),
                            tuple(OrderStatus.PLACED, 4L, 3, null));
            assertThat(fixture.events("o-1"))
                    .extracting(OrderEvent::getType)
                    .containsExactly(
                            OrderEventType.ACCEPTED,
                            OrderEventType.RETRY_SCHEDULED,
                            OrderEventType.RETRY_SCHEDULED,
                            OrderEventType.PLACED);
            // and each retry went through its own tier, carrying the attempt it asks for
            assertThat(fixture.retries(0))
                    .extracting(r -> r.value().getAttempt())
                    .containsExactly(2);
            assertThat(fixture.retries(1))
                    .extracting(r -> r.value().getAttempt())
                    .containsExactly(3);
            assertThat(DeadLetterHeaders.int32(fixture.retries(1).get(0).headers(), DeadLetterHeaders.ATTEMPTS))
                    .isEqualTo(3);
            assertThat(exchange.requests("o-1")).extracting(r -> r.attempt()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void shouldNotRetryBeforeBackoffElapsedNorHoldUpOtherOrders() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL, Outcome.FAIL);
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(EXACT)
                .exchange(exchange)
                .build()) {
            // given o-1's first attempt failed: attempt 2 is due in 250 ms
            fixture.send(OrderCommands.place("o-1").build());

            // when 249 ms pass and another order arrives
            fixture.advance(Duration.ofMillis(249));
            fixture.send(OrderCommands.place("o-2").build());

            // then o-1 was not retried early, and o-2 did not wait for it
            assertThat(exchange.requests("o-1")).hasSize(1);
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.RETRYING);
            assertThat(fixture.state("o-2").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);

            // and when the last millisecond passes, attempt 2 runs (and fails); attempt 3 waits 500 ms more
            fixture.advance(Duration.ofMillis(1));
            assertThat(exchange.requests("o-1")).hasSize(2);
            fixture.advance(Duration.ofMillis(499));
            assertThat(exchange.requests("o-1")).hasSize(2);
            fixture.advance(Duration.ofMillis(1));
            assertThat(exchange.requests("o-1")).hasSize(3);
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldSpreadRetriesWithJitterWithinBounds() {
        ScriptedExchange exchange = new ScriptedExchange().otherwise(Outcome.FAIL);
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given the default policy (250 ms +/- 20%) and an exchange that fails everything
            Instant start = fixture.now();
            // when twelve orders fail their first attempt
            for (int i = 0; i < 12; i++) {
                fixture.send(
                        OrderCommands.place("o-" + i).clientOrderId("c-" + i).build());
            }

            // then their second attempts are spread over [200, 300] ms, not all at the same instant
            List<Long> delays = fixture.states().stream()
                    .filter(s -> s.getStatus() == OrderStatus.RETRYING)
                    .map(s -> Duration.between(start, s.getNextAttemptAt()).toMillis())
                    .toList();
            assertThat(delays).hasSize(12).allSatisfy(d -> assertThat(d).isBetween(200L, 300L));
            assertThat(delays.stream().distinct().count()).isGreaterThan(6);
        }
    }

    @Test
    void shouldFailExhaustedPlacementToDeadLetterTopicWithHeaders() {
        ScriptedExchange exchange = new ScriptedExchange().otherwise(Outcome.FAIL);
        TopologySettings threeAttempts = EXACT.withRetry(EXACT.retry().withMaxAttempts(3));
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(threeAttempts)
                .exchange(exchange)
                .build()) {
            // given an exchange that always fails transiently and 3 attempts allowed
            // when
            fixture.send(OrderCommands.place("o-1").build());
            fixture.advance(Duration.ofSeconds(2));

            // then the order ends FAILED after 3 attempts
            OrderState failed = fixture.state("o-1").orElseThrow();
            assertThat(failed.getStatus()).isEqualTo(OrderStatus.FAILED);
            assertThat(failed.getAttempts()).isEqualTo(3);
            assertThat(failed.getReasons()).containsExactly("RETRIES_EXHAUSTED");
            assertThat(failed.getLastError()).contains("ExchangeUnavailableException");
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getVersion)
                    .containsExactly(1L, 2L, 3L, 4L);

            // and exactly one DLT record names the exception, where attempt 3 came from, and the attempts made
            List<TestRecord<String, PlacementAttempt>> dead = fixture.deadLetters();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo("o-1");
            assertThat(dead.get(0).value().getAttempt()).isEqualTo(3);
            Headers headers = dead.get(0).headers();
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.EXCEPTION_FQCN))
                    .isEqualTo("io.orderpipeline.processor.placement.ExchangeUnavailableException");
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.EXCEPTION_MESSAGE))
                    .isEqualTo("scripted failure of attempt 3");
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.ORIGINAL_TOPIC))
                    .isEqualTo("orders.place.retry.1");
            assertThat(DeadLetterHeaders.int32(headers, DeadLetterHeaders.ORIGINAL_PARTITION))
                    .isZero();
            assertThat(DeadLetterHeaders.int64(headers, DeadLetterHeaders.ORIGINAL_OFFSET))
                    .isZero();
            assertThat(DeadLetterHeaders.int32(headers, DeadLetterHeaders.ATTEMPTS))
                    .isEqualTo(3);
        }
    }

    @Test
    void shouldFailFatalRejectionAtOnceToDeadLetterTopic() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-2", Outcome.REJECT);
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given the exchange refuses o-2 for good
            fixture.send(OrderCommands.place("o-1").build());

            // when
            fixture.send(OrderCommands.place("o-2").build());

            // then FAILED after one attempt, no retry, and the DLT points at the command itself
            OrderState failed = fixture.state("o-2").orElseThrow();
            assertThat(failed.getStatus()).isEqualTo(OrderStatus.FAILED);
            assertThat(failed.getReasons()).containsExactly("EXCHANGE_REJECTED");
            assertThat(fixture.retries(0)).isEmpty();
            Headers headers = fixture.deadLetters().get(0).headers();
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.EXCEPTION_FQCN))
                    .isEqualTo("io.orderpipeline.processor.placement.ExchangeRejectedException");
            assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.ORIGINAL_TOPIC))
                    .isEqualTo("orders.commands");
            assertThat(DeadLetterHeaders.int64(headers, DeadLetterHeaders.ORIGINAL_OFFSET))
                    .isEqualTo(1L);
            assertThat(DeadLetterHeaders.int32(headers, DeadLetterHeaders.ATTEMPTS))
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldCancelOrderDuringRetryAndNeverPlaceIt() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.FAIL);
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(EXACT)
                .exchange(exchange)
                .build()) {
            // given an order waiting for its second attempt
            fixture.send(OrderCommands.place("o-1").build());
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.RETRYING);

            // when it is cancelled and its retry falls due
            fixture.cancel("o-1");
            fixture.advance(Duration.ofSeconds(1));

            // then it ends CANCELLED at version 3 and the exchange saw no second attempt
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getStatus, OrderState::getVersion)
                    .containsExactly(
                            tuple(OrderStatus.PENDING, 1L),
                            tuple(OrderStatus.RETRYING, 2L),
                            tuple(OrderStatus.CANCELLED, 3L));
            assertThat(fixture.state("o-1").orElseThrow().getNextAttemptAt()).isNull();
            assertThat(exchange.requests("o-1")).hasSize(1);
            assertThat(fixture.events("o-1"))
                    .extracting(OrderEvent::getType)
                    .last()
                    .isEqualTo(OrderEventType.CANCELLED);
            assertThat(fixture.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldPlaceRetriedOrdersWhenHalfOfAttemptsFail() {
        // given the simulated exchange of ORDERS_EXCHANGE_FAILURERATE=0.5 and the default 5 attempts
        SimulatedExchange.Settings halfFailing =
                SimulatedExchange.Settings.reliable().withFailureRate(0.5);
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .exchange(clock -> new SimulatedExchange(halfFailing, clock, ExchangeLedger.inMemory()))
                .build()) {
            // when forty orders arrive and their retries run
            for (int i = 0; i < 40; i++) {
                fixture.send(
                        OrderCommands.place("o-" + i).clientOrderId("c-" + i).build());
            }
            fixture.advance(Duration.ofSeconds(6));

            // then every order ended; those that needed retries ended PLACED unless all 5 attempts failed
            List<OrderState> last = fixture.states().stream()
                    .collect(java.util.stream.Collectors.toMap(OrderState::getOrderId, st -> st, (a, b) -> b))
                    .values()
                    .stream()
                    .toList();
            assertThat(last).hasSize(40);
            assertThat(last).allSatisfy(st -> assertThat(st.getStatus()).isIn(OrderStatus.PLACED, OrderStatus.FAILED));
            List<OrderState> retried =
                    last.stream().filter(st -> st.getAttempts() > 1).toList();
            assertThat(retried).hasSizeGreaterThan(10);
            assertThat(retried)
                    .filteredOn(st -> st.getStatus() == OrderStatus.PLACED)
                    .hasSizeGreaterThan(10);
            assertThat(last)
                    .filteredOn(st -> st.getStatus() == OrderStatus.FAILED)
                    .allSatisfy(st -> assertThat(st.getAttempts()).isEqualTo(5));
            assertThat(fixture.deadLetters()).hasSize((int) last.stream()
                    .filter(st -> st.getStatus() == OrderStatus.FAILED)
                    .count());
        }
    }

    @Test
    void shouldApplyLateExchangeAnswerFromPunctuator() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.HOLD);
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given an attempt the exchange has not answered yet
            fixture.send(OrderCommands.place("o-1").build());
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PENDING);

            // when the answer arrives and the scheduler runs
            exchange.release("o-1");
            fixture.advance(fixture.settings().schedulerInterval());

            // then
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(fixture.stateHistory("o-1"))
                    .extracting(OrderState::getVersion)
                    .containsExactly(1L, 2L);
        }
    }

    @Test
    void shouldTreatUnansweredAttemptAsTransientFailureAfterTimeout() {
        ScriptedExchange exchange = new ScriptedExchange().script("o-1", Outcome.HOLD);
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(EXACT.withPlacementTimeout(Duration.ofSeconds(1)))
                .exchange(exchange)
                .build()) {
            // given an attempt that is never answered
            fixture.send(OrderCommands.place("o-1").build());

            // when the timeout (1 s) passes, then the backoff
            fixture.advance(Duration.ofMillis(950));
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PENDING);
            fixture.advance(Duration.ofMillis(50));
            OrderState retrying = fixture.state("o-1").orElseThrow();
            fixture.advance(Duration.ofMillis(250));

            // then attempt 1 counted as a timeout and attempt 2 placed the order
            assertThat(retrying.getStatus()).isEqualTo(OrderStatus.RETRYING);
            assertThat(retrying.getLastError()).startsWith("PlacementTimeoutException");
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(exchange.requests("o-1")).extracting(r -> r.attempt()).containsExactly(1, 2);
        }
    }

    @Test
    void shouldRideOutExchangeOutageWindow() {
        Instant start = OrderTopologyFixture.DEFAULT_START;
        SimulatedExchange.Settings outage = SimulatedExchange.Settings.reliable()
                .withOutages(List.of(new SimulatedExchange.OutageWindow(start, start.plusSeconds(1))));
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder()
                .settings(EXACT)
                .exchange(clock -> new SimulatedExchange(outage, clock, ExchangeLedger.inMemory()))
                .build()) {
            // given the exchange is down for the first second
            // when an order arrives at once
            fixture.send(OrderCommands.place("o-1").build());
            fixture.advance(Duration.ofSeconds(3));

            // then attempts at 0, 250 and 750 ms fail, the one at 1750 ms places it
            OrderState placed = fixture.state("o-1").orElseThrow();
            assertThat(placed.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(placed.getAttempts()).isEqualTo(4);
            assertThat(placed.getUpdatedAt()).isEqualTo(start.plusMillis(1750));
        }
    }

    @Test
    void shouldIgnoreStaleRetryRecord() {
        ScriptedExchange exchange = new ScriptedExchange();
        try (OrderTopologyFixture fixture =
                OrderTopologyFixture.builder().exchange(exchange).build()) {
            // given a placed order
            fixture.send(OrderCommands.place("o-1").build());

            // when a retry record for it shows up (e.g. replayed by an operator)
            PlacementAttempt stale = PlacementAttempt.newBuilder()
                    .setOrderId("o-1")
                    .setAccountId("acc-1")
                    .setSymbol("AAPL")
                    .setSide(io.orderpipeline.schemas.avro.Side.BUY)
                    .setOrderType(io.orderpipeline.schemas.avro.OrderType.LIMIT)
                    .setQuantity(10)
                    .setPrice(null)
                    .setAttempt(2)
                    .setDueAt(fixture.now())
                    .setFirstAttemptAt(fixture.now())
                    .build();
            fixture.send(fixture.topics().retry(0), "o-1", stale);
            fixture.advance(Duration.ofSeconds(1));

            // then nothing happens
            assertThat(exchange.requests("o-1")).hasSize(1);
            assertThat(fixture.stateHistory("o-1")).hasSize(2);
        }
    }
}
