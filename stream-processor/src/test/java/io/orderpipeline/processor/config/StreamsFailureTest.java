package io.orderpipeline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orderpipeline.processor.support.ProcessorApp;
import io.orderpipeline.processor.support.TestBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * {@link StreamsFailurePolicy} in the running application, with failures injected into its Kafka Streams client: a
 * test-only processor on a test-only topic throws an {@link Error}, which no record-level handler takes.
 */
class StreamsFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger policyLog = (Logger) LoggerFactory.getLogger(StreamsFailurePolicy.class);

    /** After the start: Spring Boot resets the logging system while it starts. */
    private void captureLogs() {
        logs.start();
        policyLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        policyLog.detachAppender(logs);
    }

    @Test
    void shouldReplaceADyingStreamThreadAndProcessTheRecordAgain() throws Exception {
        // given the application with a test stream whose processor dies on its first record
        String prefix = "thread-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = createTopic(prefix + ".test.input");
        RecordingTerminator terminator;
        try (ConfigurableApplicationContext app =
                ProcessorApp.start(prefix, Map.of("TEST_TOPIC", topic), RecordingTerminator.class, DiesOnce.class)) {
            terminator = app.getBean(RecordingTerminator.class);
            DiesOnce injected = app.getBean(DiesOnce.class);
            captureLogs();

            // when a record arrives
            send(topic, "r-1");

            // then the thread died, was replaced, and the new thread processed the record
            Awaitility.await().atMost(TIMEOUT).until(() -> injected.processed.contains("r-1"));
            assertThat(injected.died).isTrue();
            assertThat(errors())
                    .anySatisfy(message -> assertThat(message)
                            .containsPattern("stream thread \\S+-StreamThread-\\d+ died of .*InjectedFailure")
                            .contains("replacing it"));
            // and the service keeps running
            Awaitility.await()
                    .atMost(TIMEOUT)
                    .until(() -> app.getBean(KafkaStreamsHealthIndicator.class)
                            .health()
                            .getStatus()
                            .equals(Status.UP));
            assertThat(terminator.called).isNotDone();
        }
        // and its orderly shutdown (the client goes PENDING_SHUTDOWN, NOT_RUNNING) is not taken for a failure
        Awaitility.await()
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !terminator.called.isDone());
    }

    @Test
    void shouldStopTheServiceWithANonZeroExitCodeWhenTheStreamsClientFails() throws Exception {
        // given the application with a test global store whose processor dies: the global thread cannot be replaced
        String prefix = "client-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = createTopic(prefix + ".test.global");
        try (ConfigurableApplicationContext app = ProcessorApp.start(
                prefix, Map.of("TEST_TOPIC", topic), RecordingTerminator.class, GlobalThreadDies.class)) {
            Awaitility.await()
                    .atMost(TIMEOUT)
                    .until(() -> app.getBean(KafkaStreamsHealthIndicator.class)
                            .health()
                            .getStatus()
                            .equals(Status.UP));
            captureLogs();

            // when a record reaches the global store
            send(topic, "boom");

            // then the service is stopped with exit code 1, and the reason is logged
            Termination termination =
                    app.getBean(RecordingTerminator.class).called.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(termination.exitCode()).isEqualTo(StreamsFailurePolicy.EXIT_CODE);
            assertThat(termination.reason())
                    .containsPattern("the Kafka Streams client went from \\w+ to PENDING_ERROR");
            assertThat(errors())
                    .anySatisfy(message ->
                            assertThat(message).contains(termination.reason()).contains("stops with exit code 1"));
            // and health says DOWN until the supervisor's restart
            assertThat(app.getBean(KafkaStreamsHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.DOWN);
        }
    }

    private List<String> errors() {
        return logs.list.stream()
                .filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static String createTopic(String name) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
        return name;
    }

    private static void send(String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value, value)).get();
        }
    }

    /** What a test injects; an {@link Error}, so that the processing exception handler does not take it. */
    static final class InjectedFailure extends Error {
        InjectedFailure(String message) {
            super(message);
        }
    }

    record Termination(int exitCode, String reason) {}

    /** Takes the place of the exiting terminator (the test JVM must live on). */
    @Primary
    static class RecordingTerminator implements ServiceTerminator {
        final CompletableFuture<Termination> called = new CompletableFuture<>();

        @Override
        public void terminate(int exitCode, String reason) {
            called.complete(new Termination(exitCode, reason));
        }
    }

    /** A test stream on {@code test.topic} whose processor throws on its first record and records every later one. */
    static class DiesOnce {
        final AtomicBoolean died = new AtomicBoolean();
        final List<String> processed = new CopyOnWriteArrayList<>();

        DiesOnce(StreamsBuilder builder, Environment environment) {
            builder.stream(
                            environment.getRequiredProperty("test.topic"),
                            Consumed.with(Serdes.String(), Serdes.String()))
                    .process(
                            () -> new Processor<String, String, Void, Void>() {
                                @Override
                                public void process(Record<String, String> record) {
                                    if (died.compareAndSet(false, true)) {
                                        throw new InjectedFailure("injected failure on " + record.value());
                                    }
                                    processed.add(record.value());
                                }
                            },
                            Named.as("test-dies-once"));
        }
    }

    /** A test global store on {@code test.topic} whose processor throws on every record. */
    static class GlobalThreadDies {

        GlobalThreadDies(StreamsBuilder builder, Environment environment) {
            builder.addGlobalStore(
                    Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore("test-global"), Serdes.String(), Serdes.String())
                            .withLoggingDisabled(),
                    environment.getRequiredProperty("test.topic"),
                    Consumed.with(Serdes.String(), Serdes.String()),
                    () -> new Processor<String, String, Void, Void>() {
                        @Override
                        public void process(Record<String, String> record) {
                            throw new InjectedFailure("injected failure in the global thread on " + record.value());
                        }
                    });
        }
    }
}
