package io.orderpipeline.processor.venue;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.support.ProcessorApp;
import io.orderpipeline.processor.support.TestBroker;
import io.orderpipeline.processor.support.TestRegistry;
import io.orderpipeline.processor.support.TopicReader;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.venue.EmbeddedVenue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The packaged processor against the real venue ({@code exchange-simulator}'s {@link EmbeddedVenue}: FIX 4.4 over a
 * socket, its book and fill model) on a real broker and registry: orders go out over the FIX session, the venue's
 * reports come back through {@code orders.executions}.
 */
class VenueEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldFillMarketOrderAndRestAmendAndCancelFarLimitAtRealVenue() throws Exception {
        // given the venue (no price drift, so a far limit never fills) and the processor logged on to it
        String prefix = "venue-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedVenue venue = EmbeddedVenue.start("orders.venue.fill.volatility=0");
                ConfigurableApplicationContext app =
                        ProcessorApp.start(prefix, ProcessorApp.atVenue(venue.fixPort(), "PIPELINE-" + prefix));
                KafkaProducer<String, OrderCommand> producer = producer();
                TopicReader<OrderState> states = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.state",
                        serdes().valueSerde(OrderState.class).deserializer());
                TopicReader<OrderEvent> events = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.events",
                        serdes().valueSerde(OrderEvent.class).deserializer())) {
            VenueSession session = app.getBean(VenueSession.class);
            Awaitility.await()
                    .atMost(TIMEOUT)
                    .until(() -> session.connection().map(c -> c.isLoggedOn()).orElse(false));
            assertThat(ProcessorApp.get(app, "/actuator/health")).contains("\"venue\"");

            // when a market order for AAPL arrives
            send(producer, prefix, OrderCommands.place("mkt-1").market().buy(50).build());

            // then it ends FILLED, its fills summing to its quantity, each version once
            OrderState filled = last(states.await(TIMEOUT, r -> is(r, "mkt-1", OrderStatus.FILLED)), "mkt-1")
                    .orElseThrow();
            assertThat(filled.getFilledQuantity()).isEqualTo(50L);
            assertThat(filled.getFills().stream().mapToLong(Fill::getQuantity).sum())
                    .isEqualTo(50L);
            assertThat(filled.getExchangeOrderId()).isNotBlank();
            assertThat(filled.getAveragePrice()).isNotNull();
            assertThat(versions(states.poll(), "mkt-1"))
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, filled.getVersion())
                            .boxed()
                            .toList());

            // and when a limit far below the market arrives, it rests at the venue
            send(
                    producer,
                    prefix,
                    OrderCommands.place("far-1")
                            .clientOrderId("far")
                            .buy(10)
                            .limit("175.00")
                            .build());
            states.await(TIMEOUT, r -> is(r, "far-1", OrderStatus.PLACED));

            // and when it is amended to 20 at 176.00, the venue replaces it
            send(producer, prefix, routed(OrderCommands.amend("far-1", 20, "176.00")));
            OrderState amended = last(
                            states.await(
                                    TIMEOUT,
                                    r -> last(r, "far-1")
                                            .filter(s -> s.getQuantity() == 20 && s.getPendingRequest() == null)
                                            .isPresent()),
                            "far-1")
                    .orElseThrow();
            assertThat(amended.getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(amended.getPrice()).isEqualByComparingTo("176.00");

            // and when it is cancelled, the venue cancels it
            send(producer, prefix, routed(OrderCommands.cancel("far-1")));
            states.await(TIMEOUT, r -> is(r, "far-1", OrderStatus.CANCELLED));
            assertThat(events
                            .await(
                                    TIMEOUT,
                                    r -> r.stream()
                                            .anyMatch(e -> e.key().equals("far-1")
                                                    && e.value().getType() == OrderEventType.CANCELLED))
                            .stream()
                            .filter(e -> e.key().equals("far-1"))
                            .map(e -> e.value().getType()))
                    .containsSubsequence(
                            OrderEventType.ACCEPTED,
                            OrderEventType.PLACED,
                            OrderEventType.AMEND_REQUESTED,
                            OrderEventType.AMENDED,
                            OrderEventType.CANCEL_REQUESTED,
                            OrderEventType.CANCELLED);
            assertThat(venue.order("far-1")).isPresent();
        }
    }

    @Test
    void shouldFailOrdersToDeadLetterTopicWhileVenueRefusesAllThenFillNewAndReplayedOnesOnceHealed() throws Exception {
        // given the venue, the processor with quick retries, and the venue refusing every new order (retryable)
        String prefix = "venue-fail-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedVenue venue = EmbeddedVenue.start("orders.venue.fill.volatility=0");
                ConfigurableApplicationContext app = ProcessorApp.start(
                        prefix,
                        ProcessorApp.atVenue(
                                venue.fixPort(),
                                "PIPELINE-" + prefix,
                                "ORDERS_PLACEMENT_MAXATTEMPTS",
                                "3",
                                "ORDERS_PLACEMENT_BASEBACKOFF",
                                "100ms"));
                KafkaProducer<String, OrderCommand> producer = producer();
                TopicReader<OrderState> states = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.state",
                        serdes().valueSerde(OrderState.class).deserializer());
                TopicReader<PlacementAttempt> deadLetters = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.place.dlt",
                        serdes().valueSerde(PlacementAttempt.class).deserializer())) {
            VenueSession session = app.getBean(VenueSession.class);
            Awaitility.await()
                    .atMost(TIMEOUT)
                    .until(() -> session.connection().map(c -> c.isLoggedOn()).orElse(false));
            venue.setFailureRate(1.0);

            // when an order arrives
            send(
                    producer,
                    prefix,
                    OrderCommands.place("refused-1").market().buy(5).build());

            // then it is retried and ends FAILED (retries exhausted) on the DLT
            OrderState failed = last(states.await(TIMEOUT, r -> is(r, "refused-1", OrderStatus.FAILED)), "refused-1")
                    .orElseThrow();
            assertThat(failed.getAttempts()).isEqualTo(3);
            assertThat(failed.getReasons()).containsExactly("RETRIES_EXHAUSTED");
            assertThat(deadLetters.await(TIMEOUT, r -> !r.isEmpty()))
                    .extracting(ConsumerRecord::key)
                    .containsExactly("refused-1");

            // and when the venue heals, a new order fills
            venue.setFailureRate(0.0);
            send(
                    producer,
                    prefix,
                    OrderCommands.place("healed-1")
                            .clientOrderId("healed")
                            .market()
                            .buy(5)
                            .build());
            states.await(TIMEOUT, r -> is(r, "healed-1", OrderStatus.FILLED));

            // and the FAILED order, replayed by ops, goes out again and fills (the venue left its ClOrdID unused)
            send(producer, prefix, routed(OrderCommands.replay("refused-1", "ops")));
            List<ConsumerRecord<String, OrderState>> replayed =
                    states.await(TIMEOUT, r -> is(r, "refused-1", OrderStatus.FILLED));
            assertThat(replayed.stream()
                            .filter(r -> r.key().equals("refused-1"))
                            .map(r -> r.value().getStatus()))
                    .containsSubsequence(OrderStatus.FAILED, OrderStatus.RETRYING, OrderStatus.FILLED);
            assertThat(venue.order("refused-1")).isPresent();
        }
    }

    /** A CANCEL, AMEND or REPLAY keyed by the account, which the fixture's commands do not name by themselves. */
    private static OrderCommand routed(OrderCommand command) {
        command.setAccountId("acc-1");
        return command;
    }

    private static boolean is(List<ConsumerRecord<String, OrderState>> records, String orderId, OrderStatus status) {
        return last(records, orderId).filter(s -> s.getStatus() == status).isPresent();
    }

    private static Optional<OrderState> last(List<ConsumerRecord<String, OrderState>> records, String orderId) {
        OrderState last = null;
        for (ConsumerRecord<String, OrderState> record : records) {
            if (record.key().equals(orderId)) {
                last = record.value();
            }
        }
        return Optional.ofNullable(last);
    }

    private static List<Long> versions(List<ConsumerRecord<String, OrderState>> records, String orderId) {
        return records.stream()
                .filter(r -> r.key().equals(orderId))
                .map(r -> r.value().getVersion())
                .toList();
    }

    private static AvroSerdes serdes() {
        return AvroSerdes.registry(TestRegistry.url());
    }

    private static KafkaProducer<String, OrderCommand> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                new StringSerializer(),
                serdes().valueSerde(OrderCommand.class).serializer());
    }

    private static void send(KafkaProducer<String, OrderCommand> producer, String prefix, OrderCommand command)
            throws Exception {
        producer.send(new ProducerRecord<>(prefix + ".orders.commands", OrderCommands.key(command), command))
                .get();
    }
}
