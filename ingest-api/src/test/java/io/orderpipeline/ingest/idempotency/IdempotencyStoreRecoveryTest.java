package io.orderpipeline.ingest.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.ingest.support.TestBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures injected into the idempotency reader on a real broker: it recovers with a new consumer after a backoff,
 * says so through {@link IdempotencyStore#failure()} meanwhile, and misses no key.
 */
class IdempotencyStoreRecoveryTest {

    final String topic = "idempotency.recovery-" + UUID.randomUUID();
    final Map<String, Object> consumerConfig = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestBroker.shared(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    final AtomicInteger created = new AtomicInteger();
    Admin admin;
    KafkaProducer<String, byte[]> producer;
    IdempotencyStore store;

    @BeforeEach
    void createTopic() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared()));
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all()
                .get(30, TimeUnit.SECONDS);
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.stop();
        }
        producer.close();
        admin.close();
    }

    @Test
    void shouldRecoverWhenTheConsumerSupplierThrowsOnFirstUse() throws Exception {
        // given a supplier whose first consumer cannot be created (an unexpected RuntimeException)
        store = start(() -> {
            if (created.incrementAndGet() == 1) {
                throw new IllegalStateException("injected: consumer cannot be created");
            }
            return new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        });

        // when / then the reader starts over with a new consumer, loads the topic and reads new keys
        await().atMost(Duration.ofSeconds(30)).until(store::ready);
        assertThat(store.restarts()).isEqualTo(1);
        assertThat(store.failure()).isEmpty();
        String orderId = write();
        store.sync(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        assertThat(store.lookup(orderId)).isPresent();
    }

    @Test
    void shouldReportAFailingReaderAndCatchUpOnceItRecovers() throws Exception {
        // given a loaded store whose consumers' poll throws an unexpected exception while the fault is on
        AtomicBoolean faulty = new AtomicBoolean();
        store = start(() -> {
            created.incrementAndGet();
            return new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer()) {
                @Override
                public ConsumerRecords<String, byte[]> poll(Duration timeout) {
                    if (faulty.get()) {
                        throw new IllegalArgumentException("injected: poll failed");
                    }
                    return super.poll(timeout);
                }
            };
        });
        await().atMost(Duration.ofSeconds(30)).until(store::ready);
        String before = write();
        store.sync(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);

        // when the fault is on
        faulty.set(true);

        // then the reader starts over again and again with new consumers, health is told, keyed requests wait
        await().atMost(Duration.ofSeconds(30)).until(() -> store.restarts() >= 2);
        assertThat(store.failure())
                .hasValueSatisfying(failure -> assertThat(failure).contains("injected"));
        String during = write();
        assertThatThrownBy(() -> store.sync(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IdempotencyStoreUnavailableException.class);

        // and once the fault is gone it catches up by itself, with every key
        faulty.set(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.failure().isEmpty());
        store.sync(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        assertThat(store.lookup(during)).isPresent();
        assertThat(store.lookup(before)).isPresent();
        assertThat(created.get()).isGreaterThanOrEqualTo(3);
    }

    private IdempotencyStore start(Supplier<Consumer<String, byte[]>> consumers) {
        IdempotencyStore started =
                new IdempotencyStore(topic, consumers, admin, Clock.systemUTC(), Duration.ofHours(24));
        started.start();
        return started;
    }

    /** Writes a key the way an instance does and returns its order id. */
    private String write() throws Exception {
        String orderId = UUID.randomUUID().toString();
        IdempotencyRecord record =
                new IdempotencyRecord("fingerprint", UUID.randomUUID().toString(), Instant.now());
        producer.send(store.record(orderId, record)).get(10, TimeUnit.SECONDS);
        return orderId;
    }
}
