package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.processor.placement.CancelRequest;
import io.orderpipeline.processor.placement.ExchangeAck;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ExchangeLedger;
import io.orderpipeline.processor.placement.PlacementRequest;
import io.orderpipeline.processor.placement.ReplaceRequest;
import io.orderpipeline.processor.placement.RequestOutcome;
import io.orderpipeline.processor.placement.RetryPolicy;
import io.orderpipeline.processor.placement.SimulatedExchange;
import io.orderpipeline.processor.support.TestBroker;
import io.orderpipeline.processor.support.TestRegistry;
import io.orderpipeline.processor.support.TopicReader;
import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.TopicNames;
import io.orderpipeline.schemas.avro.AccountExposure;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once on a real broker: the processor dies in the middle of a batch (a stream thread killed by an error
 * while its transaction is open), is restarted, is closed abruptly again while orders wait for retries and exchange
 * answers, is restarted again, and every order still ends in exactly one terminal state, with versions 1..n on
 * {@code orders.state} and each transition once on {@code orders.events}, one DLT record per FAILED order, no
 * reservation left on any account but those of its open orders, and no order placed twice at the exchange, whose ledger lives in a file and is
 * reopened by each instance, as a real exchange would outlive the processor.
 */
class ExactlyOnceRecoveryTest {

    private static final int ORDERS = 240;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Set<OrderEventType> NO_OPS =
            EnumSet.of(OrderEventType.CANCEL_IGNORED, OrderEventType.DUPLICATE_IGNORED);

    /** Thrown inside a stream thread to kill it like a crash: not an Exception, so no handler catches it. */
    static final class SimulatedCrash extends Error {

        SimulatedCrash() {
            super("simulated crash of the stream-processor");
        }
    }

    /** The exchange, with a crash switch: the n-th request kills the calling stream thread. */
    static final class CrashingExchange implements ExchangeGateway {

        private final ExchangeGateway delegate;
        private final AtomicInteger crashAtRequest;
        private final AtomicInteger requests = new AtomicInteger();

        CrashingExchange(ExchangeGateway delegate, int crashAtRequest) {
            this.delegate = delegate;
            this.crashAtRequest = new AtomicInteger(crashAtRequest);
        }

        @Override
        public CompletionStage<ExchangeAck> place(PlacementRequest request) {
            if (requests.incrementAndGet() == crashAtRequest.get()) {
                throw new SimulatedCrash();
            }
            return delegate.place(request);
        }

        @Override
        public RequestOutcome cancel(CancelRequest request) {
            return delegate.cancel(request);
        }

        @Override
        public RequestOutcome replace(ReplaceRequest request) {
            return delegate.replace(request);
        }
    }

    @Test
    void shouldEndEveryOrderOnceWithoutGapsOrDoublePlacementAcrossCrashes() throws Exception {
        // given topics of our own, seeded instruments, and an unreliable, slow exchange journaled to a file
        String prefix = "eos-" + UUID.randomUUID().toString().substring(0, 8);
        TopicNames names = new TopicNames(
                prefix + ".orders.commands",
                prefix + ".orders.place.retry",
                prefix + ".orders.place.dlt",
                prefix + ".orders.events",
                prefix + ".orders.state",
                prefix + ".instruments",
                prefix + ".orders.executions");
        TopologySettings settings = new TopologySettings(
                names,
                new RetryPolicy(4, 3, Duration.ofMillis(100), 2.0, 0.2, Duration.ofSeconds(1), 7L),
                Duration.ofSeconds(2),
                Duration.ofMillis(20),
                1000,
                TopologySettings.defaults().validation(),
                TopologySettings.defaults().accounts(),
                TopologySettings.StoreType.PERSISTENT);
        String dlq = prefix + ".orders.dlq";
        createTopics(names, settings, dlq);
        AvroSerdes serdes = AvroSerdes.registry(TestRegistry.url());
        OrderTopics topics = OrderTopics.create(names, serdes);
        seedInstruments(topics);
        Path work = Files.createTempDirectory("eos-recovery");
        Path ledgerFile = work.resolve("exchange-ledger.tsv");
        SimulatedExchange.Settings unreliable = SimulatedExchange.Settings.reliable()
                .withFailureRate(0.35)
                .withFatalRate(0.02)
                .withLatency(Duration.ofMillis(3));
        Properties config = streamsConfig(prefix, work.resolve("state"), dlq);

        try (TopicReader<OrderState> states = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        names.state(),
                        serdes.valueSerde(OrderState.class).deserializer());
                TopicReader<OrderEvent> events = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        names.events(),
                        serdes.valueSerde(OrderEvent.class).deserializer());
                TopicReader<PlacementAttempt> deadLetters = new TopicReader<>(
                        TestBroker.bootstrapServers(),
                        names.deadLetter(),
                        serdes.valueSerde(PlacementAttempt.class).deserializer())) {

            // when a batch of orders (with repeated PLACEs and cancels) arrives and the first instance dies at the
            // exchange's 100th request; it commits rarely, so everything it did so far is replayed
            Properties rarelyCommitting = new Properties();
            rarelyCommitting.putAll(config);
            rarelyCommitting.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 8_000);
            ExchangeLedger firstLedger = ExchangeLedger.journaled(ledgerFile);
            SimulatedExchange firstExchange = new SimulatedExchange(unreliable, Clock.systemUTC(), firstLedger);
            AtomicReference<Throwable> crash = new AtomicReference<>();
            KafkaStreams first =
                    start(settings, serdes, new CrashingExchange(firstExchange, 100), rarelyCommitting, crash);
            sendBatch(topics);
            await().atMost(TIMEOUT).until(() -> crash.get() != null);
            assertThat(crash.get()).isInstanceOf(SimulatedCrash.class);
            long requestsBeforeCrash = firstLedger.totalRequests();
            first.close(Duration.ofSeconds(30));
            firstExchange.close();
            firstLedger.close();

            // and a second instance, on the same state directory, is closed abruptly while orders wait for retries
            ExchangeLedger secondLedger = ExchangeLedger.journaled(ledgerFile);
            SimulatedExchange secondExchange = new SimulatedExchange(unreliable, Clock.systemUTC(), secondLedger);
            KafkaStreams second = start(settings, serdes, secondExchange, config, new AtomicReference<>());
            await().atMost(TIMEOUT).until(() -> secondLedger.totalRequests() >= 150);
            second.close(Duration.ZERO);
            await().atMost(TIMEOUT).until(() -> second.state() == KafkaStreams.State.NOT_RUNNING);
            secondExchange.close();
            secondLedger.close();

            // and a third instance finishes the work
            ExchangeLedger ledger = ExchangeLedger.journaled(ledgerFile);
            SimulatedExchange exchange = new SimulatedExchange(unreliable, Clock.systemUTC(), ledger);
            KafkaStreams third = start(settings, serdes, exchange, config, new AtomicReference<>());
            try {
                List<ConsumerRecord<String, OrderEvent>> allEvents =
                        events.await(TIMEOUT, r -> terminalEvents(r).size() >= ORDERS);
                List<ConsumerRecord<String, OrderState>> allStates = states.await(
                        TIMEOUT,
                        r -> lastStates(r).values().stream()
                                        .filter(s -> terminal(s.getStatus()))
                                        .count()
                                >= ORDERS);

                // then the crash happened mid-batch and the replay reached the exchange again
                assertThat(requestsBeforeCrash).isGreaterThanOrEqualTo(99);
                assertThat(ledger.duplicateRequests() + secondLedger.duplicateRequests())
                        .as("requests for orders the exchange already held (replays)")
                        .isPositive();

                // and every order ended once, in exactly one terminal state
                Map<String, List<OrderEvent>> terminalByOrder =
                        terminalEvents(allEvents).stream().collect(Collectors.groupingBy(OrderEvent::getOrderId));
                assertThat(terminalByOrder).hasSize(ORDERS);
                assertThat(terminalByOrder.values())
                        .allSatisfy(list -> assertThat(list).hasSize(1));
                Map<String, OrderState> last = lastStates(allStates);
                assertThat(last).hasSize(ORDERS);
                assertThat(last.values())
                        .allSatisfy(s -> assertThat(terminal(s.getStatus())).isTrue());

                // and versions go 1..n on orders.state, and each transition is on orders.events once, in order
                Map<String, List<Long>> stateVersions = allStates.stream()
                        .collect(Collectors.groupingBy(
                                ConsumerRecord::key,
                                Collectors.mapping(r -> r.value().getVersion(), Collectors.toList())));
                Map<String, List<Long>> transitionVersions = allEvents.stream()
                        .filter(r -> !NO_OPS.contains(r.value().getType()))
                        .collect(Collectors.groupingBy(
                                ConsumerRecord::key,
                                Collectors.mapping(r -> r.value().getVersion(), Collectors.toList())));
                stateVersions.forEach((orderId, versions) -> {
                    List<Long> expected =
                            LongStream.rangeClosed(1, versions.size()).boxed().toList();
                    assertThat(versions).as("state versions of %s", orderId).isEqualTo(expected);
                    assertThat(transitionVersions.get(orderId))
                            .as("event versions of %s", orderId)
                            .isEqualTo(expected);
                });

                // and exactly one DLT record per FAILED order
                Set<String> failed = ids(last, OrderStatus.FAILED);
                List<ConsumerRecord<String, PlacementAttempt>> dead =
                        deadLetters.await(TIMEOUT, r -> r.size() >= failed.size());
                assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(failed);

                // and the exchange holds exactly the PLACED orders, each under the id our state names, none twice
                Set<String> placed = ids(last, OrderStatus.PLACED);
                Map<String, ExchangeLedger.Placement> live = ledger.placements().stream()
                        .filter(ExchangeLedger.Placement::live)
                        .collect(Collectors.toMap(ExchangeLedger.Placement::orderId, p -> p));
                assertThat(live.keySet()).containsExactlyInAnyOrderElementsOf(placed);
                placed.forEach(orderId -> assertThat(live.get(orderId).exchangeOrderId())
                        .isEqualTo(last.get(orderId).getExchangeOrderId()));
                assertThat(ledger.placements())
                        .extracting(ExchangeLedger.Placement::orderId)
                        .doesNotHaveDuplicates();

                // and every outcome occurred, so the run exercised every path
                assertThat(last.values())
                        .extracting(OrderState::getStatus)
                        .contains(OrderStatus.PLACED, OrderStatus.FAILED, OrderStatus.CANCELLED, OrderStatus.REJECTED);

                // and each account holds exactly the notional of its PLACED orders (the simulated exchange acknowledges
                // and never fills, so they stay open): every other order's release happened exactly once
                Map<String, List<OrderState>> open = last.values().stream()
                        .filter(st -> st.getStatus() == OrderStatus.PLACED)
                        .collect(Collectors.groupingBy(OrderState::getAccountId));
                await().atMost(TIMEOUT)
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(exposures(third)).allSatisfy((account, exposure) -> {
                            List<OrderState> held = open.getOrDefault(account, List.of());
                            BigDecimal notional = held.stream()
                                    .map(st -> st.getPrice().multiply(BigDecimal.valueOf(st.getQuantity())))
                                    .reduce(BigDecimal.ZERO, BigDecimal::add);
                            assertThat(exposure.getOpenOrders()).as(account).isEqualTo(held.size());
                            assertThat(exposure.getOpenNotional()).as(account).isEqualByComparingTo(notional);
                        }));
            } finally {
                third.close(Duration.ofSeconds(30));
                exchange.close();
                ledger.close();
            }
        }
    }

    private static KafkaStreams start(
            TopologySettings settings,
            AvroSerdes serdes,
            ExchangeGateway exchange,
            Properties config,
            AtomicReference<Throwable> crash) {
        StreamsBuilder builder =
                OrderTopology.build(new StreamsBuilder(), settings, serdes, exchange, Clock.systemUTC());
        KafkaStreams streams = new KafkaStreams(builder.build(config), config);
        streams.setUncaughtExceptionHandler(error -> {
            crash.set(error instanceof SimulatedCrash ? error : error.getCause() != null ? error.getCause() : error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        return streams;
    }

    /** Orders from four accounts; every 10th also gets a cancel, every 20th a repeated PLACE; some are invalid. */
    private static void sendBatch(OrderTopics topics) throws Exception {
        try (KafkaProducer<String, OrderCommand> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                new StringSerializer(),
                topics.commands().valueSerde().serializer())) {
            for (int i = 0; i < ORDERS; i++) {
                String orderId = "o-" + i;
                OrderCommands.Place place = OrderCommands.place(orderId)
                        .account("acc-" + (i % 4))
                        .clientOrderId("c-" + i)
                        .symbol(List.of("AAPL", "MSFT", "NVDA").get(i % 3))
                        .buy(10)
                        .limit(List.of("190.00", "420.00", "120.00").get(i % 3));
                if (i % 15 == 7) {
                    place.limit("1.00"); // outside the band: REJECTED
                }
                send(producer, topics, place.build());
                if (i % 20 == 3) {
                    send(
                            producer,
                            topics,
                            OrderCommands.place(orderId)
                                    .account("acc-" + (i % 4))
                                    .commandId("repeat-" + i)
                                    .build());
                }
                if (i % 10 == 5) {
                    send(producer, topics, OrderCommands.cancel(orderId, "acc-" + (i % 4)));
                }
            }
            producer.flush();
        }
    }

    private static void send(KafkaProducer<String, OrderCommand> producer, OrderTopics topics, OrderCommand command) {
        producer.send(new ProducerRecord<>(topics.commands().name(), OrderCommands.key(command), command));
    }

    private static Properties streamsConfig(String prefix, Path stateDir, String dlq) {
        Properties config = new Properties();
        config.putAll(StreamsDefaults.config(dlq, 1));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "-processor");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        return config;
    }

    private static void createTopics(TopicNames names, TopologySettings settings, String dlq) throws Exception {
        List<String> all = new ArrayList<>(List.of(
                names.commands(),
                names.executions(),
                names.deadLetter(),
                names.events(),
                names.state(),
                names.instruments(),
                dlq));
        for (int tier = 0; tier < settings.retry().tiers(); tier++) {
            all.add(names.retry(tier));
        }
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()))) {
            admin.createTopics(
                            all.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList())
                    .all()
                    .get();
        }
    }

    private static void seedInstruments(OrderTopics topics) throws Exception {
        try (KafkaProducer<String, Instrument> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()),
                new StringSerializer(),
                topics.instruments().valueSerde().serializer())) {
            for (Instrument instrument : DefaultInstruments.all()) {
                producer.send(new ProducerRecord<>(topics.instruments().name(), instrument.getSymbol(), instrument))
                        .get();
            }
        }
    }

    private static boolean terminal(OrderStatus status) {
        return status != OrderStatus.PENDING && status != OrderStatus.RETRYING;
    }

    private static List<OrderEvent> terminalEvents(List<ConsumerRecord<String, OrderEvent>> records) {
        return records.stream()
                .map(ConsumerRecord::value)
                .filter(e -> !NO_OPS.contains(e.getType()) && terminal(e.getStatus()))
                .toList();
    }

    private static Map<String, OrderState> lastStates(List<ConsumerRecord<String, OrderState>> records) {
        Map<String, OrderState> last = new HashMap<>();
        records.forEach(r -> last.put(r.key(), r.value()));
        return last;
    }

    private static Set<String> ids(Map<String, OrderState> last, OrderStatus status) {
        return last.values().stream()
                .filter(s -> s.getStatus() == status)
                .map(OrderState::getOrderId)
                .collect(Collectors.toSet());
    }

    private static Map<String, AccountExposure> exposures(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, AccountExposure> store = streams.store(StoreQueryParameters.fromNameAndType(
                OrderTopology.EXPOSURE_STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, AccountExposure> all = new HashMap<>();
        try (KeyValueIterator<String, AccountExposure> it = store.all()) {
            it.forEachRemaining(kv -> all.put(kv.key, kv.value));
        }
        return all;
    }
}
