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
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.venue.EmbeddedVenue;
import io.orderpipeline.venue.book.VenueOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Two processor instances, each with its own FIX session, one venue: orders one instance placed are cancelled through
 * the other after the first left, and the reports of each session reach the task that owns the order.
 */
class VenueFailoverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int ACCOUNTS = 6;

    @Test
    void shouldCancelAndFillThroughSecondInstanceOrdersTheFirstPlacedBeforeItLeft() throws Exception {
        // given the venue and a first instance, which places resting limit orders for six accounts
        String prefix = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedVenue venue = EmbeddedVenue.start("orders.venue.fill.volatility=0");
                KafkaProducer<String, OrderCommand> producer = producer();
                TopicReader<OrderState> states = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.state",
                        serdes().valueSerde(OrderState.class).deserializer())) {
            ConfigurableApplicationContext first = start(prefix, "A", venue);
            ConfigurableApplicationContext second = null;
            try {
                awaitLoggedOn(first);
                for (int i = 0; i < ACCOUNTS; i++) {
                    send(
                            producer,
                            prefix,
                            OrderCommands.place("rest-" + i)
                                    .account("acc-" + i)
                                    .buy(10)
                                    .limit("175.00")
                                    .build());
                }
                states.await(TIMEOUT, r -> count(r, "rest-", OrderStatus.PLACED) == ACCOUNTS);

                // when a second instance joins, takes some of the partitions, and the first one leaves
                second = start(prefix, "B", venue);
                awaitLoggedOn(second);
                ConfigurableApplicationContext joined = second;
                Awaitility.await().atMost(TIMEOUT).until(() -> activeTasks(joined) > 0);
                first.close();
                Awaitility.await().atMost(TIMEOUT).until(() -> activeTasks(joined) == 3);

                // and every resting order is cancelled and a market order placed per account, all through the second
                for (int i = 0; i < ACCOUNTS; i++) {
                    send(producer, prefix, OrderCommands.cancel("rest-" + i, "acc-" + i));
                    send(
                            producer,
                            prefix,
                            OrderCommands.place("mkt-" + i)
                                    .account("acc-" + i)
                                    .clientOrderId("m-" + i)
                                    .market()
                                    .buy(20)
                                    .build());
                }

                // then each resting order ends CANCELLED and each market order FILLED with fills summing to 20
                List<ConsumerRecord<String, OrderState>> records = states.await(
                        TIMEOUT,
                        r -> count(r, "rest-", OrderStatus.CANCELLED) == ACCOUNTS
                                && count(r, "mkt-", OrderStatus.FILLED) == ACCOUNTS);
                Map<String, List<OrderState>> histories = new HashMap<>();
                records.forEach(r -> histories
                        .computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(r.value()));
                histories.forEach((orderId, history) -> {
                    assertThat(history)
                            .extracting(OrderState::getVersion)
                            .as("versions of %s", orderId)
                            .isEqualTo(LongStream.rangeClosed(1, history.size())
                                    .boxed()
                                    .toList());
                    OrderState last = history.get(history.size() - 1);
                    assertThat(last.getFills().stream()
                                    .mapToLong(Fill::getQuantity)
                                    .sum())
                            .as("fills of %s", orderId)
                            .isEqualTo(last.getFilledQuantity());
                });
                // and the venue holds no live order any more
                assertThat(venue.orders()).noneMatch(VenueOrder::live);
            } finally {
                if (second != null) {
                    second.close();
                }
                first.close();
            }
        }
    }

    private static ConfigurableApplicationContext start(String prefix, String instance, EmbeddedVenue venue)
            throws Exception {
        return ProcessorApp.start(prefix, ProcessorApp.atVenue(venue.fixPort(), "PIPELINE-" + instance + "-" + prefix));
    }

    private static void awaitLoggedOn(ConfigurableApplicationContext app) {
        VenueSession session = app.getBean(VenueSession.class);
        Awaitility.await()
                .atMost(TIMEOUT)
                .until(() -> session.connection().map(c -> c.isLoggedOn()).orElse(false));
    }

    private static int activeTasks(ConfigurableApplicationContext app) {
        KafkaStreams streams = app.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return -1;
        }
        return streams.metadataForLocalThreads().stream()
                .mapToInt(t -> t.activeTasks().size())
                .sum();
    }

    private static long count(List<ConsumerRecord<String, OrderState>> records, String prefix, OrderStatus status) {
        Map<String, OrderState> last = new HashMap<>();
        records.forEach(r -> last.put(r.key(), r.value()));
        return last.values().stream()
                .filter(s -> s.getOrderId().startsWith(prefix) && s.getStatus() == status)
                .count();
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
