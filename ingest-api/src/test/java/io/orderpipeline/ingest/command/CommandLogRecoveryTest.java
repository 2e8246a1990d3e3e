package io.orderpipeline.ingest.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.TopicNames;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Failures injected into a committer's producer on a real broker: whatever goes wrong, the committer answers the
 * requests it holds, reports itself not ready, and recovers with a new producer, without a restart.
 */
class CommandLogRecoveryTest {

    final String topic = "commands.recovery-" + UUID.randomUUID();
    final String transactionalId = "ingest-api-recovery-" + UUID.randomUUID();
    final IngestSettings.Producer settings = new Binder(
                    new MapConfigurationPropertySource(Map.of("orders.ingest.producer.committers", "1")))
            .bindOrCreate("orders.ingest", IngestSettings.class)
            .producer();
    final AtomicInteger created = new AtomicInteger();
    CommandLog log;

    @BeforeEach
    void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stopLog() {
        if (log != null) {
            log.stop();
        }
    }

    @Test
    void shouldRecoverWhenTheProducerFactoryThrowsAnUnexpectedException() throws Exception {
        // given a producer factory that throws an unexpected RuntimeException (not a Kafka error) until repaired
        AtomicBoolean broken = new AtomicBoolean(true);
        log = start(committer -> {
            created.incrementAndGet();
            if (broken.get()) {
                throw new IllegalStateException("injected: producer factory broken");
            }
            return realProducer(committer);
        });

        // when the committer meets it, repeatedly
        await().atMost(Duration.ofSeconds(30)).until(() -> log.restarts() >= 2);

        // then it keeps trying, says why it is not ready, and refuses requests within max-block
        assertThat(log.ready()).isFalse();
        assertThat(log.committerStates()).singleElement().asString().contains("injected: producer factory broken");
        assertThatThrownBy(() -> log.append(command()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CommandNotWrittenException.class);

        // and once the factory works again it recovers by itself
        broken.set(false);
        await().atMost(Duration.ofSeconds(30)).until(log::ready);
        OrderCommand command = command();
        log.append(command).get(10, TimeUnit.SECONDS);
        assertThat(committedCommandIds()).contains(command.getCommandId());
    }

    @Test
    void shouldAnswerItsTransactionAndRecoverWhenAnErrorEscapesIt() throws Exception {
        // given a first producer that throws an Error inside the transaction
        log = start(committer -> created.incrementAndGet() == 1
                ? new KafkaProducer<>(config(committer), new StringSerializer(), new ByteArraySerializer()) {
                    @Override
                    public void beginTransaction() {
                        throw new NoClassDefFoundError("injected: an Error inside the transaction");
                    }
                }
                : realProducer(committer));
        await().atMost(Duration.ofSeconds(30)).until(log::ready);

        // when a command is appended
        OrderCommand lost = command();
        Future<Void> first = log.append(lost);

        // then its request is answered at once (not written), and the committer goes on with a new producer
        assertThatThrownBy(() -> first.get(settings.maxBlock().toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(CommandNotWrittenException.class)
                .hasRootCauseInstanceOf(NoClassDefFoundError.class);
        await().atMost(Duration.ofSeconds(30)).until(log::ready);
        OrderCommand next = command();
        log.append(next).get(10, TimeUnit.SECONDS);
        assertThat(log.restarts()).isEqualTo(1);
        assertThat(created).hasValue(2);
        assertThat(committedCommandIds()).contains(next.getCommandId()).doesNotContain(lost.getCommandId());
    }

    @Test
    void shouldReplaceAProducerWhosePendingAbortFails() throws Exception {
        // given a first producer whose send fails, whose abort then times out, and which is fenced from then on
        log = start(committer ->
                created.incrementAndGet() == 1 ? new FencedAfterTimeout(config(committer)) : realProducer(committer));
        await().atMost(Duration.ofSeconds(30)).until(log::ready);

        // when a command is appended
        OrderCommand lost = command();
        Future<Void> first = log.append(lost);

        // then it is not written, and the committer replaces the producer instead of retrying its abort for ever
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CommandNotWrittenException.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> created.get() == 2 && log.ready());
        OrderCommand next = command();
        log.append(next).get(10, TimeUnit.SECONDS);
        assertThat(committedCommandIds()).contains(next.getCommandId()).doesNotContain(lost.getCommandId());
    }

    /** Fails its first send; its abort then times out once, and every later abort finds it fenced. */
    private static final class FencedAfterTimeout extends KafkaProducer<String, byte[]> {
        private final AtomicInteger sends = new AtomicInteger();
        private final AtomicInteger aborts = new AtomicInteger();

        FencedAfterTimeout(Map<String, Object> config) {
            super(config, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
            if (sends.incrementAndGet() == 1) {
                throw new KafkaException("injected: send failed");
            }
            return super.send(record);
        }

        @Override
        public void abortTransaction() {
            if (aborts.incrementAndGet() == 1) {
                throw new TimeoutException("injected: abort not confirmed");
            }
            throw new ProducerFencedException("injected: fenced");
        }
    }

    private CommandLog start(IntFunction<Producer<String, byte[]>> producers) {
        OrderTopics topics = OrderTopics.create(
                new TopicNames(topic, "retry", "dlt", "events", "state", "instruments", "executions"),
                AvroSerdes.registry(TestRegistry.url()));
        CommandLog started = new CommandLog(producers, topics.commands(), settings, new SimpleMeterRegistry());
        started.start();
        return started;
    }

    private Producer<String, byte[]> realProducer(int committer) {
        return new KafkaProducer<>(config(committer), new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> config(int committer) {
        Map<String, Object> config =
                new HashMap<>(CommandLogConfiguration.producerOverrides(settings, transactionalId + "-" + committer));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.shared());
        return config;
    }

    private List<String> committedCommandIds() {
        try (CommandTopicReader reader = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), topic)) {
            return reader.commands().stream().map(OrderCommand::getCommandId).toList();
        }
    }

    private static OrderCommand command() {
        return OrderCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setType(CommandType.CANCEL)
                .setOrderId(UUID.randomUUID().toString())
                .setRequestedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }
}
