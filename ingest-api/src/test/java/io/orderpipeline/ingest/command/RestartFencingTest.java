package io.orderpipeline.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.infra.Ports;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestInstance;
import io.orderpipeline.ingest.support.IngestProcess;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * A restarted instance fences its crashed predecessor at once: the transaction the predecessor left open stops holding
 * {@code read_committed} readers back as soon as the successor's committers initialize, because they use the same
 * transactional ids. Each test has topics of its own on the shared broker.
 */
class RestartFencingTest {

    static final Duration VISIBLE_WITHIN = Duration.ofSeconds(2);

    final String commands = "commands.fencing-" + UUID.randomUUID();
    final String idempotency = "idempotency.fencing-" + UUID.randomUUID();
    final List<AutoCloseable> closing = new ArrayList<>();
    Admin admin;

    @BeforeEach
    void createTopics() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared()));
        admin.createTopics(List.of(new NewTopic(commands, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable resource : closing) {
            resource.close();
        }
        admin.close();
    }

    @Test
    void shouldLetReadersSeeNewCommandsAtOnceAfterASigkillAndRestart() throws Exception {
        // given the real service in a child JVM on a fixed port, with the default (derived) instance id, under load
        int port = Ports.free();
        String prefix = TransactionalIds.prefix(defaults(), port, TransactionalIds::hostName);
        Set<String> transactionalIds = Set.of(prefix + "-0", prefix + "-1");
        ReadCommittedTail tail = null;
        for (int attempt = 1; tail == null; attempt++) {
            assertThat(attempt)
                    .as("attempts to kill the instance inside a transaction")
                    .isLessThanOrEqualTo(5);
            IngestProcess predecessor = start("fencing-predecessor-" + attempt, port);
            try (Load load = new Load(predecessor.http())) {
                load.awaitAccepted(20);

                // when it is killed (SIGKILL) while a transaction is open
                predecessor.kill();
            }
            if (ongoing(transactionalIds)) {
                tail = new ReadCommittedTail(commands);
                closing.add(tail);
            }
        }

        // and started again on the same port (the same host and port give the same transactional ids)
        IngestProcess successor = start("fencing-successor", port);
        closing.add(successor);
        HttpResponse<String> accepted = successor.http().postJson("/orders", Http.limitOrder("c-after-restart"));
        long acceptedAt = System.nanoTime();

        // then a read_committed reader sees its command within 2 s of the 202
        assertThat(accepted.statusCode()).isEqualTo(202);
        String orderId = Http.json(accepted).get("orderId").stringValue();
        ReadCommittedTail reader = tail;
        await().atMost(VISIBLE_WITHIN.plusSeconds(1)).until(() -> reader.seen(orderId));
        long millis = TimeUnit.NANOSECONDS.toMillis(reader.seenAt(orderId) - acceptedAt);
        System.out.printf("after SIGKILL + restart: command visible to read_committed %d ms after its 202%n", millis);
        assertThat(millis).isLessThanOrEqualTo(VISIBLE_WITHIN.toMillis());
    }

    @Test
    void shouldAbortTheTransactionAnAbandonedPredecessorLeftOpenWhenItsSuccessorStarts() throws Exception {
        // given a crashed predecessor, simulated: a transaction on every partition, begun with the instance's
        // transactional ids and abandoned (never committed, aborted or closed), that would hold for a minute
        String instanceId = "fencing-" + UUID.randomUUID();
        abandonTransactions("ingest-api-" + instanceId);
        ReadCommittedTail tail = new ReadCommittedTail(commands);
        closing.add(tail);

        // when an instance with that instance id starts and takes an order
        IngestInstance successor = start("orders.ingest.instance-id=" + instanceId);
        HttpResponse<String> accepted = successor.http().postJson("/orders", Http.limitOrder("c-successor"));
        long acceptedAt = System.nanoTime();

        // then a read_committed reader sees the command within 2 s of the 202
        assertThat(accepted.statusCode()).isEqualTo(202);
        String orderId = Http.json(accepted).get("orderId").stringValue();
        await().atMost(VISIBLE_WITHIN.plusSeconds(1)).until(() -> tail.seen(orderId));
        assertThat(TimeUnit.NANOSECONDS.toMillis(tail.seenAt(orderId) - acceptedAt))
                .isLessThanOrEqualTo(VISIBLE_WITHIN.toMillis());
    }

    @Test
    void shouldHoldReadersBackWhenTheSuccessorUsesAnotherTransactionalId() throws Exception {
        // given the same abandoned transactions (the control: what a random id per start did)
        String instanceId = "fencing-" + UUID.randomUUID();
        List<String> abandoned = abandonTransactions("ingest-api-" + instanceId);
        ReadCommittedTail tail = new ReadCommittedTail(commands);
        closing.add(tail);

        // when an instance with a random transactional id (server.port=0, no instance id) takes an order
        IngestInstance other = start();
        HttpResponse<String> accepted = other.http().postJson("/orders", Http.limitOrder("c-other"));

        // then its command, committed, stays invisible to read_committed readers behind the open transaction
        assertThat(accepted.statusCode()).isEqualTo(202);
        String orderId = Http.json(accepted).get("orderId").stringValue();
        await().during(VISIBLE_WITHIN).atMost(VISIBLE_WITHIN.plusSeconds(2)).until(() -> !tail.seen(orderId));
        // and it shows up once that transaction is aborted
        abandoned.forEach(this::fence);
        await().atMost(Duration.ofSeconds(10)).until(() -> tail.seen(orderId));
    }

    /** One abandoned transaction per committer id, each with a record on every partition; returns the ids. */
    private List<String> abandonTransactions(String prefix) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int committer = 0; committer < 2; committer++) {
            String id = prefix + "-" + committer;
            KafkaProducer<String, byte[]> producer = transactional(id);
            closing.add(() -> producer.close(Duration.ZERO));
            producer.beginTransaction();
            for (int partition = 0; partition < 3; partition++) {
                producer.send(new ProducerRecord<>(commands, partition, "abandoned", new byte[] {0}))
                        .get(10, TimeUnit.SECONDS);
            }
            ids.add(id);
        }
        return ids;
    }

    /** Aborts an abandoned transaction the way a successor does: initTransactions with the same id. */
    private void fence(String transactionalId) {
        transactional(transactionalId).close();
    }

    private KafkaProducer<String, byte[]> transactional(String transactionalId) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestBroker.shared(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        transactionalId,
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        60_000),
                new StringSerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private boolean ongoing(Set<String> transactionalIds) throws Exception {
        Map<String, TransactionDescription> described =
                admin.describeTransactions(transactionalIds).all().get(10, TimeUnit.SECONDS);
        return described.values().stream().anyMatch(d -> d.state() == TransactionState.ONGOING);
    }

    private IngestInstance start(String... properties) {
        List<String> all = new ArrayList<>(List.of(topicProperties()));
        all.addAll(List.of(properties));
        IngestInstance instance =
                IngestInstance.start(TestBroker.shared(), TestRegistry.url(), all.toArray(String[]::new));
        closing.add(instance);
        return instance;
    }

    private IngestProcess start(String name, int port) {
        return IngestProcess.start(name, port, TestBroker.shared(), TestRegistry.url(), topicProperties());
    }

    private String[] topicProperties() {
        return new String[] {"orders.topics.commands=" + commands, "orders.topics.idempotency=" + idempotency};
    }

    private static IngestSettings defaults() {
        return new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("orders.ingest", IngestSettings.class);
    }

    /** Clients posting orders as fast as the instance answers, until closed; errors of a killed instance ignored. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger accepted = new AtomicInteger();
        private final ExecutorService clients = Executors.newFixedThreadPool(4);

        Load(Http http) {
            AtomicInteger n = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        try {
                            if (http.postJson("/orders", Http.limitOrder("c-load-" + n.incrementAndGet()))
                                            .statusCode()
                                    == 202) {
                                accepted.incrementAndGet();
                            }
                        } catch (UncheckedIOException killed) {
                            // the instance is gone
                        }
                    }
                });
            }
        }

        void awaitAccepted(int count) {
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= count);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    /**
     * A {@code read_committed} consumer of every partition, positioned at the last stable offset when created (so
     * behind any open transaction), that remembers when it first saw each order id (PLACE commands are keyed by
     * account, so the id is read from the value; the abandoned records are never committed, hence never read).
     */
    private static final class ReadCommittedTail implements AutoCloseable {
        private final KafkaConsumer<String, OrderCommand> consumer;
        private final Map<String, Long> seenAt = new HashMap<>();

        ReadCommittedTail(String topic) {
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            TestBroker.shared(),
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false,
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed"),
                    new StringDeserializer(),
                    AvroSerdes.registry(TestRegistry.url())
                            .valueSerde(OrderCommand.class)
                            .deserializer());
            List<TopicPartition> partitions = IntStream.range(0, 3)
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /** Polls once and tells whether a command of {@code orderId} has been seen. */
        boolean seen(String orderId) {
            for (ConsumerRecord<String, OrderCommand> record : consumer.poll(Duration.ofMillis(100))) {
                seenAt.putIfAbsent(record.value().getOrderId(), System.nanoTime());
            }
            return seenAt.containsKey(orderId);
        }

        long seenAt(String orderId) {
            return seenAt.get(orderId);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
