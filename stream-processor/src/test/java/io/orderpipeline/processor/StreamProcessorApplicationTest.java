package io.orderpipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderpipeline.processor.support.ProcessorApp;
import io.orderpipeline.processor.support.TestBroker;
import io.orderpipeline.processor.support.TestRegistry;
import io.orderpipeline.processor.support.TopicReader;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.topology.DeadLetterHeaders;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The packaged application on a real KRaft broker and a real Apicurio Registry, configured the way a user does it:
 * through environment variables.
 */
class StreamProcessorApplicationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldSeedInstrumentsValidateAndPlaceOrdersAndReportHealth() throws Exception {
        // given the application with default settings on its own topics
        String prefix = "app-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext app = start(prefix, Map.of());
                KafkaProducer<String, OrderCommand> producer = producer();
                TopicReader<OrderState> states = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.state",
                        serdes().valueSerde(OrderState.class).deserializer())) {

            // when a valid order, an order for an unknown symbol and a repeat of the first arrive
            send(producer, prefix, OrderCommands.place("ok-1").build());
            send(producer, prefix, OrderCommands.place("bad-1").symbol("NOPE").build());
            send(
                    producer,
                    prefix,
                    OrderCommands.place("ok-1").commandId("repeat").build());

            // then the valid one is placed, the other rejected, and the repeat changed nothing
            List<ConsumerRecord<String, OrderState>> records =
                    states.await(TIMEOUT, r -> terminal(r).size() == 2);
            Map<String, OrderState> last = terminal(records);
            assertThat(last.get("ok-1").getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(last.get("bad-1").getStatus()).isEqualTo(OrderStatus.REJECTED);
            assertThat(last.get("bad-1").getReasons()).containsExactly("UNKNOWN_SYMBOL");
            assertThat(records.stream()
                            .filter(r -> r.key().equals("ok-1"))
                            .map(r -> r.value().getVersion()))
                    .containsExactly(1L, 2L);

            // and health reports the Streams client, Prometheus its metrics
            String health = get(app, "/actuator/health");
            assertThat(health).contains("\"kafkaStreams\"").contains("\"state\":\"RUNNING\"");
            String metrics = get(app, "/actuator/prometheus");
            assertThat(metrics).contains("kafka_stream_");
        }
    }

    @Test
    void shouldFailEveryOrderToDeadLetterTopicWhenExchangeAlwaysFails() throws Exception {
        // given ORDERS_EXCHANGE_FAILURERATE=1.0 (and short backoffs to keep the test quick)
        String prefix = "fail-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> env = Map.of(
                "ORDERS_EXCHANGE_FAILURERATE", "1.0",
                "ORDERS_PLACEMENT_MAXATTEMPTS", "3",
                "ORDERS_PLACEMENT_BASEBACKOFF", "100ms");
        try (ConfigurableApplicationContext app = start(prefix, env);
                KafkaProducer<String, OrderCommand> producer = producer();
                TopicReader<OrderState> states = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.state",
                        serdes().valueSerde(OrderState.class).deserializer());
                TopicReader<PlacementAttempt> deadLetters = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.place.dlt",
                        serdes().valueSerde(PlacementAttempt.class).deserializer())) {

            // when three valid orders arrive
            for (int i = 0; i < 3; i++) {
                send(
                        producer,
                        prefix,
                        OrderCommands.place("f-" + i).clientOrderId("c-f-" + i).build());
            }

            // then each ends FAILED after 3 attempts, and each is on the DLT with its headers
            Map<String, OrderState> last =
                    terminal(states.await(TIMEOUT, r -> terminal(r).size() == 3));
            assertThat(last.values()).allSatisfy(state -> {
                assertThat(state.getStatus()).isEqualTo(OrderStatus.FAILED);
                assertThat(state.getAttempts()).isEqualTo(3);
                assertThat(state.getReasons()).containsExactly("RETRIES_EXHAUSTED");
            });
            List<ConsumerRecord<String, PlacementAttempt>> dead = deadLetters.await(TIMEOUT, r -> r.size() == 3);
            assertThat(dead).allSatisfy(record -> {
                assertThat(DeadLetterHeaders.int32(record.headers(), DeadLetterHeaders.ATTEMPTS))
                        .isEqualTo(3);
                assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ORIGINAL_TOPIC))
                        .isEqualTo(prefix + ".orders.place.retry.1");
                assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.EXCEPTION_FQCN))
                        .isEqualTo("io.orderpipeline.processor.placement.ExchangeUnavailableException");
            });
        }
    }

    @Test
    void shouldSendUndeserializableRecordsOfAnyInputToDeadLetterQueueAndContinue() throws Exception {
        // given the application
        String prefix = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        try (ConfigurableApplicationContext app = start(prefix, Map.of());
                KafkaProducer<String, OrderCommand> producer = producer();
                KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
                TopicReader<byte[]> deadLetters = new TopicReader<>(
                        TestBroker.bootstrapServers(), prefix + ".orders.dlq", new ByteArrayDeserializer());
                TopicReader<OrderState> states = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        prefix + ".orders.state",
                        serdes().valueSerde(OrderState.class).deserializer())) {

            // when poison arrives on orders.commands and on the instruments GlobalKTable, then a valid order
            raw.send(new ProducerRecord<>(prefix + ".orders.commands", bytes("p-1"), garbage))
                    .get();
            raw.send(new ProducerRecord<>(prefix + ".instruments", bytes("AAPL"), garbage))
                    .get();
            send(producer, prefix, OrderCommands.place("after-poison").build());

            // then both poison records are on the DLQ, byte for byte, naming their topic
            List<ConsumerRecord<String, byte[]>> dead = deadLetters.await(TIMEOUT, r -> r.size() == 2);
            assertThat(dead).allSatisfy(record -> assertThat(record.value()).isEqualTo(garbage));
            assertThat(dead)
                    .extracting(record -> DeadLetterHeaders.text(record.headers(), "__streams.errors.topic"))
                    .containsExactlyInAnyOrder(prefix + ".orders.commands", prefix + ".instruments");
            // and the pipeline went on, with AAPL still known
            Map<String, OrderState> last =
                    terminal(states.await(TIMEOUT, r -> terminal(r).size() == 1));
            assertThat(last.get("after-poison").getStatus()).isEqualTo(OrderStatus.PLACED);
            assertThat(get(app, "/actuator/health")).contains("\"state\":\"RUNNING\"");
        }
    }

    @Test
    void shouldRefuseToStartWhenTopicsKeyedByOrderIdAreNotCoPartitioned() throws Exception {
        // given a retry tier created by hand with 1 partition where orders.commands gets 3
        String prefix = "copart-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(prefix + ".orders.place.retry.1", 1, (short) 1)))
                    .all()
                    .get();
        }

        // when / then
        assertThatThrownBy(() -> start(prefix, Map.of()).close())
                .hasStackTraceContaining("must have the same number of partitions")
                .hasStackTraceContaining(prefix + ".orders.place.retry.1=1");
    }

    @Test
    void shouldComeUpOnABrokerWithoutItsTopicsEveryTime() throws Exception {
        // given a broker that has none of the topics of the next starts (fresh names and application id each time)
        for (int round = 0; round < 3; round++) {
            String prefix =
                    "fresh-" + round + "-" + UUID.randomUUID().toString().substring(0, 8);
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).noneMatch(name -> name.startsWith(prefix));
            }

            // when the processor starts: it creates its topics, checks them and seeds the instruments at once
            String startNumber = "start " + (round + 1);
            try (ConfigurableApplicationContext app = start(prefix, Map.of())) {

                // then it comes up every time, with its Streams client running
                Awaitility.await()
                        .atMost(TIMEOUT)
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThat(get(app, "/actuator/health"))
                                .as(startNumber)
                                .contains("\"state\":\"RUNNING\""));
            }
        }
    }

    @Test
    void shouldFailStartUpNamingTheRegistryWhenItIsNotReachableWithinTheStartupTimeout() throws Exception {
        // given a registry URL where nothing listens, and a short start-up timeout
        String registry = "http://127.0.0.1:" + unusedPort() + "/apis/registry/v2";
        String prefix = "noreg-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> env = Map.of("ORDERS_REGISTRY_URL", registry, "ORDERS_STARTUP_TIMEOUT", "2s");

        // when the processor starts, then start-up fails and says what it waited for
        long started = System.nanoTime();
        assertThatThrownBy(() -> start(prefix, env).close())
                .hasStackTraceContaining("gave up waiting for the schema registry at " + registry)
                .hasStackTraceContaining("orders.startup.timeout");
        // and it gave up after the start-up timeout, not after the 3-minute default
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    }

    private static int unusedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ConfigurableApplicationContext start(String prefix, Map<String, Object> env) throws Exception {
        return ProcessorApp.start(prefix, env);
    }

    private static Map<String, OrderState> terminal(List<ConsumerRecord<String, OrderState>> records) {
        return records.stream()
                .map(ConsumerRecord::value)
                .filter(s -> s.getStatus() != OrderStatus.PENDING && s.getStatus() != OrderStatus.RETRYING)
                .collect(Collectors.toMap(OrderState::getOrderId, s -> s, (a, b) -> b));
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

    private static String get(ConfigurableApplicationContext app, String path) throws Exception {
        return ProcessorApp.get(app, path);
    }
}
