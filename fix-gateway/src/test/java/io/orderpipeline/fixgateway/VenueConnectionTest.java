package io.orderpipeline.fixgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.ExecutionType;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import io.orderpipeline.venue.EmbeddedVenue;
import io.orderpipeline.venue.book.Faults;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VenueConnection against the real venue (EmbeddedVenue) writing to a real broker. */
class VenueConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static EmbeddedVenue venue;

    @TempDir
    Path stores;

    private ReportTopic topic;

    @BeforeAll
    static void startVenue() {
        venue = EmbeddedVenue.start(
                "orders.venue.fill.model=partial", "orders.venue.fill.min-slices=2", "orders.venue.fill.max-slices=3");
    }

    @AfterAll
    static void stopVenue() {
        venue.close();
    }

    @BeforeEach
    void newTopic() throws Exception {
        topic = new ReportTopic();
    }

    @AfterEach
    void cleanUp() {
        topic.close();
        venue.faults(Faults.NONE);
    }

    @Test
    void shouldPublishTheAckAndTheFillsOfAPlacedOrderKeyedByAccount() throws Exception {
        try (VenueConnection connection = connect("PIPELINE-T1", topic.sink())) {
            // given
            String orderId = UUID.randomUUID().toString();

            // when
            connection
                    .newOrder(new NewOrder(orderId, "acc-7", "AAPL", Side.BUY, OrderType.MARKET, 50, null))
                    .toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);

            // then
            await().atMost(WAIT).until(() -> filledQuantity(orderId) == 50);
            List<ConsumerRecord<String, ExecutionReport>> records = topic.records().stream()
                    .filter(record -> record.value().getOrderId().equals(orderId))
                    .toList();
            assertThat(records).allMatch(record -> record.key().equals("acc-7"));
            ExecutionReport ack = records.get(0).value();
            assertThat(ack.getType()).isEqualTo(ExecutionType.NEW);
            assertThat(ack.getLeavesQuantity()).isEqualTo(50);
            assertThat(ack.getSession()).isEqualTo("FIX.4.4:PIPELINE-T1->VENUE");
            List<ExecutionReport> trades = records.stream()
                    .map(ConsumerRecord::value)
                    .filter(report -> report.getType() == ExecutionType.TRADE)
                    .toList();
            assertThat(trades).hasSizeGreaterThanOrEqualTo(2);
            assertThat(trades)
                    .allSatisfy(trade -> assertThat(trade.getLastPrice()).isEqualByComparingTo("190.00"));
            assertThat(trades.get(trades.size() - 1).getCumulativeQuantity()).isEqualTo(50);
            assertThat(records.stream()
                            .map(record -> record.value().getExecutionId())
                            .distinct())
                    .hasSameSizeAs(records);
        }
    }

    @Test
    void shouldMapCancelsRejectsAndReplacesToTheRootOrder() throws Exception {
        try (VenueConnection connection = connect("PIPELINE-T2", topic.sink())) {
            // given a resting limit order
            String orderId = UUID.randomUUID().toString();
            connection.newOrder(
                    new NewOrder(orderId, "acc-1", "MSFT", Side.SELL, OrderType.LIMIT, 10, new BigDecimal("500.00")));
            await().atMost(WAIT).until(() -> topic.reports(orderId).size() == 1);

            // when it is replaced, then cancelled twice, and an unknown order is cancelled
            connection.replace(new ReplaceOrder(
                    orderId,
                    ClOrdIds.replace(orderId, 2),
                    "acc-1",
                    "MSFT",
                    Side.SELL,
                    OrderType.LIMIT,
                    12,
                    new BigDecimal("499.00")));
            connection.cancel(new CancelOrder(orderId, ClOrdIds.cancel(orderId, 3), "acc-1", "MSFT", Side.SELL, 12));
            connection.cancel(new CancelOrder(orderId, ClOrdIds.cancel(orderId, 4), "acc-1", "MSFT", Side.SELL, 12));
            String unknown = UUID.randomUUID().toString();
            connection.cancel(new CancelOrder(unknown, ClOrdIds.cancel(unknown, 1), "acc-1", "MSFT", Side.SELL, 1));

            // then
            await().atMost(WAIT).until(() -> topic.reports(orderId).size() == 4);
            List<ExecutionReport> reports = topic.reports(orderId);
            assertThat(reports.get(1).getType()).isEqualTo(ExecutionType.REPLACED);
            assertThat(reports.get(1).getOrderQuantity()).isEqualTo(12);
            assertThat(reports.get(1).getPrice()).isEqualByComparingTo("499.00");
            assertThat(reports.get(1).getClientRequestId()).isEqualTo(orderId + ":a2");
            assertThat(reports.get(2).getType()).isEqualTo(ExecutionType.CANCELED);
            assertThat(reports.get(3).getType()).isEqualTo(ExecutionType.CANCEL_REJECTED);
            assertThat(reports.get(3).getExecutionId()).isEqualTo(orderId + ":c4:reject");
            await().atMost(WAIT).until(() -> topic.reports(unknown).size() == 1);
            assertThat(topic.reports(unknown).get(0).getType()).isEqualTo(ExecutionType.CANCEL_REJECTED);
            assertThat(topic.reports(unknown).get(0).getAccountId()).isEqualTo("acc-1");
        }
    }

    @Test
    void shouldMarkInjectedFailuresRetryableAndFatalRejectsNot() throws Exception {
        try (VenueConnection connection = connect("PIPELINE-T3", topic.sink())) {
            // given
            venue.setFailureRate(1.0);
            String failed = UUID.randomUUID().toString();
            String unknownSymbol = UUID.randomUUID().toString();

            // when
            connection.newOrder(new NewOrder(failed, "acc-1", "AAPL", Side.BUY, OrderType.MARKET, 1, null));
            connection.newOrder(new NewOrder(unknownSymbol, "acc-1", "NOPE", Side.BUY, OrderType.MARKET, 1, null));

            // then
            await().atMost(WAIT)
                    .until(() -> topic.reports(failed).size() == 1
                            && topic.reports(unknownSymbol).size() == 1);
            ExecutionReport retryable = topic.reports(failed).get(0);
            assertThat(retryable.getType()).isEqualTo(ExecutionType.REJECTED);
            assertThat(retryable.getRetryable()).isTrue();
            assertThat(topic.reports(unknownSymbol).get(0).getRetryable()).isFalse();
        }
    }

    @Test
    void shouldFailFastWithVenueUnavailableWhenNotLoggedOn() {
        // given a connection to a port where no venue listens
        VenueSettings nowhere =
                VenueSettings.of("PIPELINE-T4", stores.resolve("t4")).withAddress("127.0.0.1", 1);
        try (VenueConnection connection =
                VenueConnection.open(nowhere, report -> CompletableFuture.completedFuture(null))) {
            // when
            var sent = connection
                    .newOrder(new NewOrder("o-1", "acc-1", "AAPL", Side.BUY, OrderType.MARKET, 1, null))
                    .toCompletableFuture();

            // then
            assertThat(connection.isLoggedOn()).isFalse();
            assertThat(sent)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(VenueUnavailableException.class);
        }
    }

    @Test
    void shouldLoseNoReportWhenTheVenueDropsTheSession() throws Exception {
        java.util.concurrent.atomic.AtomicInteger logons = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger logouts = new java.util.concurrent.atomic.AtomicInteger();
        SessionListener counting = new SessionListener() {
            @Override
            public void onLogon(String session) {
                logons.incrementAndGet();
            }

            @Override
            public void onLogout(String session) {
                logouts.incrementAndGet();
            }
        };
        try (VenueConnection connection =
                VenueConnection.open(settings("PIPELINE-T5", stores.resolve("t5")), topic.sink(), counting)) {
            assertThat(connection.awaitLogon(WAIT)).isTrue();
            // given a resting order
            String orderId = UUID.randomUUID().toString();
            connection.newOrder(
                    new NewOrder(orderId, "acc-2", "GOOGL", Side.BUY, OrderType.LIMIT, 40, new BigDecimal("150.00")));
            await().atMost(WAIT).until(() -> topic.reports(orderId).size() == 1);

            // when the venue drops the session and the order fills while it is down
            venue.dropSessions();
            await().atMost(WAIT).until(() -> !connection.isLoggedOn());
            venue.setPrice("GOOGL", new BigDecimal("149.00"));

            // then the connection logs on again and every fill reaches the topic
            await().atMost(WAIT).until(connection::isLoggedOn);
            await().atMost(WAIT).until(() -> filledQuantity(orderId) == 40);
            assertThat(venue.order(orderId).orElseThrow().cumQty()).isEqualTo(40);
            assertThat(logons).hasValue(2);
            assertThat(logouts).hasValue(1);
        } finally {
            venue.setPrice("GOOGL", new BigDecimal("170.00"));
        }
    }

    @Test
    void shouldReceiveAfterARestartTheReportsSentWhileTheProcessorWasDown() throws Exception {
        // given a resting order, and the processor's connection closed
        String orderId = UUID.randomUUID().toString();
        Path store = stores.resolve("t6");
        try (VenueConnection connection = VenueConnection.open(settings("PIPELINE-T6", store), topic.sink())) {
            assertThat(connection.awaitLogon(WAIT)).isTrue();
            connection.newOrder(
                    new NewOrder(orderId, "acc-3", "AMZN", Side.SELL, OrderType.LIMIT, 25, new BigDecimal("200.00")));
            await().atMost(WAIT).until(() -> topic.reports(orderId).size() == 1);
        }

        // when it fills meanwhile, and a new connection with the same CompID and store opens
        try {
            venue.setPrice("AMZN", new BigDecimal("201.00"));
            await().atMost(WAIT).until(() -> venue.order(orderId).orElseThrow().cumQty() == 25);
            try (VenueConnection connection = VenueConnection.open(settings("PIPELINE-T6", store), topic.sink())) {
                // then the fills sent while it was down arrive
                await().atMost(WAIT).until(() -> filledQuantity(orderId) == 25);
            }
        } finally {
            venue.setPrice("AMZN", new BigDecimal("185.00"));
        }
    }

    @Test
    void shouldGetAReportAgainThatTheSinkFailedToHandOn() throws Exception {
        // given a sink that fails the first write of every TRADE
        java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        KafkaReportSink kafka = topic.sink();
        ReportSink flaky = report -> {
            if (report.getType() == ExecutionType.TRADE && failedOnce.add(report.getExecutionId())) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable (simulated)"));
            }
            return kafka.accept(report);
        };
        try (VenueConnection connection = connect("PIPELINE-T7", flaky)) {
            String orderId = UUID.randomUUID().toString();

            // when
            connection.newOrder(new NewOrder(orderId, "acc-1", "NVDA", Side.BUY, OrderType.MARKET, 9, null));

            // then every fill is on the topic anyway, resent by the venue after the failed hand-off
            await().atMost(WAIT).until(() -> filledQuantity(orderId) == 9);
            assertThat(failedOnce).isNotEmpty();
            assertThat(topic.reports(orderId).stream()
                            .filter(report -> report.getType() == ExecutionType.TRADE)
                            .map(ExecutionReport::getExecutionId))
                    .containsAll(failedOnce);
        }
    }

    @Test
    void shouldGetAgainAfterARestartTheReportsWhoseHandOffWasStillInFlight() throws Exception {
        // given a sink that takes the fills but never confirms them (a broker that went away), so QuickFIX/J has
        // counted them as received while they are not on the topic
        Path store = stores.resolve("t8");
        String orderId = UUID.randomUUID().toString();
        List<ExecutionReport> unconfirmed = new CopyOnWriteArrayList<>();
        KafkaReportSink kafka = topic.sink();
        ReportSink stuck = report -> {
            if (report.getType() == ExecutionType.TRADE) {
                unconfirmed.add(report);
                return new CompletableFuture<>();
            }
            return kafka.accept(report);
        };
        try (VenueConnection connection = VenueConnection.open(settings("PIPELINE-T8", store), stuck)) {
            assertThat(connection.awaitLogon(WAIT)).isTrue();
            connection.newOrder(new NewOrder(orderId, "acc-4", "NVDA", Side.BUY, OrderType.MARKET, 9, null));
            await().atMost(WAIT)
                    .until(() -> unconfirmed.stream()
                                    .mapToLong(ExecutionReport::getLastQuantity)
                                    .sum()
                            == 9);
        }
        assertThat(filledQuantity(orderId)).isZero();

        // when the processor starts again with the same store
        try (VenueConnection connection = VenueConnection.open(settings("PIPELINE-T8", store), topic.sink())) {
            // then the venue resends the fills and they reach the topic
            await().atMost(WAIT).until(() -> filledQuantity(orderId) == 9);
            assertThat(topic.reports(orderId).stream()
                            .filter(report -> report.getType() == ExecutionType.TRADE)
                            .map(ExecutionReport::getExecutionId))
                    .containsAll(unconfirmed.stream()
                            .map(ExecutionReport::getExecutionId)
                            .toList());
        }
    }

    private VenueConnection connect(String compId, ReportSink sink) throws InterruptedException {
        VenueConnection connection = VenueConnection.open(settings(compId, stores.resolve(compId)), sink);
        if (!connection.awaitLogon(WAIT)) {
            connection.close();
            throw new CompletionException(new IllegalStateException(compId + " did not log on"));
        }
        return connection;
    }

    private static VenueSettings settings(String compId, Path store) {
        return VenueSettings.of(compId, store).withAddress("127.0.0.1", venue.fixPort());
    }

    /** Sum of the distinct fills on the topic (a redelivered report counts once). */
    private long filledQuantity(String orderId) {
        return topic.reports(orderId).stream()
                .filter(report -> report.getType() == ExecutionType.TRADE)
                .collect(java.util.stream.Collectors.toMap(
                        ExecutionReport::getExecutionId, ExecutionReport::getLastQuantity, (a, b) -> a))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
    }
}
