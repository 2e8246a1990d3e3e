package io.orderpipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.support.ProcessorApp;
import io.orderpipeline.processor.support.TestBroker;
import io.orderpipeline.processor.support.TestRegistry;
import io.orderpipeline.processor.support.TopicReader;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * REPLAY through the packaged application on a real broker: commands written as ingest-api writes them (keyed by the
 * order id, in the partition its id routes to), the answer read from {@code orders.events}.
 */
class ReplayOnBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldReopenAFailedOrderOnceWhenTheSameReplayArrivesTwice() throws Exception {
        // given an exchange that always fails transiently, two attempts per round, and an order that ended FAILED
        String prefix = "replay-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> env = Map.of(
                "ORDERS_EXCHANGE_FAILURERATE", "1.0",
                "ORDERS_PLACEMENT_MAXATTEMPTS", "2",
                "ORDERS_PLACEMENT_BASEBACKOFF", "300ms");
        UUID id = OrderRouting.route(UUID.randomUUID(), "acc-1");
        String orderId = id.toString();
        AvroSerdes serdes = AvroSerdes.registry(TestRegistry.url());
        try (ConfigurableApplicationContext app = ProcessorApp.start(prefix, env);
                KafkaProducer<String, OrderCommand> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                        new StringSerializer(),
                        serdes.valueSerde(OrderCommand.class).serializer());
                TopicReader<OrderEvent> events = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.events",
                        serdes.valueSerde(OrderEvent.class).deserializer())) {
            String commands = prefix + ".orders.commands";
            OrderCommand place = OrderCommands.place(orderId).build();
            producer.send(new ProducerRecord<>(commands, "acc-1", place)).get();
            events.await(TIMEOUT, r -> ofType(r, OrderEventType.FAILED) == 1);

            // when ops's replay arrives twice (a retried request), in the partition of the order
            int partition = OrderRouting.partitionOf(id, 3);
            OrderCommand replay = OrderCommand.newBuilder()
                    .setCommandId("replay-" + UUID.randomUUID())
                    .setType(CommandType.REPLAY)
                    .setOrderId(orderId)
                    .setPrincipal("ops")
                    .setRequestedAt(Instant.now())
                    .build();
            producer.send(new ProducerRecord<>(commands, partition, orderId, replay));
            producer.send(new ProducerRecord<>(commands, partition, orderId, replay));
            producer.flush();

            // then one reopening (a new round that fails again), one no-op; versions stay contiguous
            List<ConsumerRecord<String, OrderEvent>> all = events.await(
                    TIMEOUT,
                    r -> ofType(r, OrderEventType.FAILED) == 2 && ofType(r, OrderEventType.REPLAY_IGNORED) == 1);
            List<OrderEvent> history = all.stream()
                    .map(ConsumerRecord::value)
                    .filter(e -> e.getOrderId().equals(orderId))
                    .toList();
            assertThat(history)
                    .filteredOn(e -> e.getType() == OrderEventType.REPLAYED)
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.getPrincipal()).isEqualTo("ops");
                        assertThat(e.getPreviousStatus()).isEqualTo(OrderStatus.FAILED);
                        assertThat(e.getStatus()).isEqualTo(OrderStatus.RETRYING);
                    });
            assertThat(history)
                    .filteredOn(e -> e.getType() != OrderEventType.REPLAY_IGNORED)
                    .extracting(OrderEvent::getVersion)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(history).last().extracting(OrderEvent::getStatus).isEqualTo(OrderStatus.FAILED);
        }
    }

    private static long ofType(List<ConsumerRecord<String, OrderEvent>> records, OrderEventType type) {
        return records.stream().filter(r -> r.value().getType() == type).count();
    }
}
