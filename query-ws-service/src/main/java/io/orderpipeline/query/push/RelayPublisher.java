package io.orderpipeline.query.push;

import io.orderpipeline.query.kafka.RecoveryProperties;
import io.orderpipeline.query.kafka.RegistryOutage;
import io.orderpipeline.query.kafka.StateConsumers;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.QueryProperties;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.shared.Backoff;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * With an external STOMP broker ({@code orders.stomp.relay.enabled=true}) the firehose {@value OrderPushHub#ALL} is
 * published to that broker once per change for all instances: the instances share one consumer group
 * ({@code <application-id>-push-relay}), each publishing the partitions it is assigned, and the broker fans out to
 * every client on every instance; so is each change to its account's {@value OrderPushHub#ACCOUNT_PREFIX}{@code
 * {accountId}}. Who may subscribe is decided on the instance the client is connected to ({@link StompAccess}), before
 * the SUBSCRIBE is relayed. Offsets are committed after publishing (at least once: after a crash a change may
 * be published twice; clients drop versions they have seen). Per-order topics stay local (see {@link OrderPushHub}).
 *
 * <p>Recovery: the relay never ends by itself. While the external broker refuses a message (not connected), the
 * partitions are rewound to the first record not yet published and the loop retries after a backoff; nothing is
 * committed past an unpublished record. On any other unexpected failure it logs it, closes its consumer (leaving the
 * group), waits ({@code orders.recovery.*}) and joins again with a new one, continuing from the group's committed
 * offsets. A record whose schema cannot be fetched (registry unreachable) is read again, never skipped. Health
 * ({@code pushRelay}) is DOWN while it recovers.
 */
@Component
@ConditionalOnProperty(prefix = "orders.stomp.relay", name = "enabled", havingValue = "true")
class RelayPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayPublisher.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaClients clients;
    private final StateConsumers consumers;
    private final AvroSerdes serdes;
    private final String topic;
    private final QueryProperties query;
    private final RecoveryProperties recovery;
    private final SimpMessagingTemplate broker;
    private final JsonMapper json;
    private final AtomicLong recoveries = new AtomicLong();
    private volatile Consumer<String, OrderState> consumer;
    private volatile Thread thread;
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private volatile boolean running;
    private volatile boolean subscribed;
    private volatile String problem;

    RelayPublisher(
            KafkaClients clients,
            ObjectProvider<StateConsumers> consumers,
            AvroSerdes serdes,
            TopicSettings topics,
            QueryProperties query,
            RecoveryProperties recovery,
            @Qualifier("brokerMessagingTemplate") SimpMessagingTemplate broker,
            JsonMapper json) {
        this.clients = clients;
        this.consumers = consumers.getIfAvailable(() -> StateConsumers.from(clients));
        this.serdes = serdes;
        this.topic = topics.state();
        this.query = query;
        this.recovery = recovery;
        this.broker = broker;
        this.json = json;
    }

    /** Whether the relay is in its group and publishing, not recovering from a failure. */
    boolean isLive() {
        return running && subscribed && problem == null;
    }

    /** The failure the relay is recovering from, or {@code null}. */
    String problem() {
        return problem;
    }

    long recoveries() {
        return recoveries.get();
    }

    /** The relay's own settings over {@code spring.kafka.*}. */
    Map<String, Object> consumerOverrides() {
        return Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                query.applicationId() + "-push-relay",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString());
    }

    @Override
    public void start() {
        CountDownLatch stop = new CountDownLatch(1);
        stopping = stop;
        running = true;
        problem = null;
        Thread worker = new Thread(() -> run(stop), "order-push-relay");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    private void run(CountDownLatch stop) {
        Backoff backoff = recovery.backoff();
        while (running) {
            Consumer<String, OrderState> created = null;
            try {
                created = consumers.create(
                        StateConsumers.RELAY,
                        consumerOverrides(),
                        serdes.valueSerde(OrderState.class).deserializer());
                consumer = created;
                if (!running) {
                    return; // stopped meanwhile: its wakeup went to the previous consumer
                }
                created.subscribe(List.of(topic));
                subscribed = true;
                relay(created, backoff, stop);
            } catch (RuntimeException e) { // a WakeupException too, when it was not stop() that woke it
                if (running) {
                    Duration pause = backoff.next();
                    problem = e.toString();
                    recoveries.incrementAndGet();
                    log.error(
                            "Relay publisher failed; leaving the group and joining again in {} ms, from the"
                                    + " committed offsets",
                            pause.toMillis(),
                            e);
                    subscribed = false;
                    close(created);
                    created = null;
                    pause(stop, pause);
                }
            } finally {
                subscribed = false;
                if (created != null) {
                    close(created);
                }
            }
        }
    }

    /** Publishes until stopped; returns only then, or throws on a failure. */
    private void relay(Consumer<String, OrderState> consumer, Backoff backoff, CountDownLatch stop) {
        while (running) {
            ConsumerRecords<String, OrderState> records;
            try {
                records = consumer.poll(Duration.ofMillis(500));
            } catch (RecordDeserializationException e) {
                if (RegistryOutage.isOutage(e)) {
                    retryLater("schema registry unreachable: " + e.getCause(), backoff, stop);
                    continue; // the position stays at the record
                }
                log.warn("Skipping unreadable record {}@{}", e.topicPartition(), e.offset());
                consumer.seek(e.topicPartition(), e.offset() + 1);
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> published = new HashMap<>();
            try {
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<String, OrderState> record : records.records(tp)) {
                        if (record.value() != null) {
                            publish(OrderView.from(record.value()));
                        }
                        published.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
            } catch (MessagingException e) {
                // the external broker is not connected: publish this batch again, from its first unpublished record
                for (TopicPartition tp : records.partitions()) {
                    OffsetAndMetadata done = published.get(tp);
                    consumer.seek(
                            tp,
                            done != null
                                    ? done.offset()
                                    : records.records(tp).get(0).offset());
                }
                consumer.commitSync(published);
                retryLater("external STOMP broker refused a message: " + e.getMessage(), backoff, stop);
                continue;
            }
            consumer.commitSync();
            if (problem != null) {
                log.info("Relay publisher publishes again");
                problem = null;
                backoff.reset();
            }
        }
    }

    private void retryLater(String why, Backoff backoff, CountDownLatch stop) {
        Duration pause = backoff.next();
        problem = why;
        log.warn("Relay publisher: {}; retrying in {} ms", why, pause.toMillis());
        pause(stop, pause);
    }

    /** To the firehose and to the order's account ({@value OrderPushHub#ACCOUNT_PREFIX}{@code {accountId}}). */
    private void publish(OrderView state) {
        byte[] body = json.writeValueAsBytes(state);
        broker.send(OrderPushHub.ALL, message(state, body));
        if (state.accountId() != null) {
            broker.send(OrderPushHub.ACCOUNT_PREFIX + state.accountId(), message(state, body));
        }
    }

    private static org.springframework.messaging.Message<byte[]> message(OrderView state, byte[] body) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON); // text frames for browsers, like the simple broker
        headers.setNativeHeader(OrderPushHub.KIND_HEADER, "delta");
        headers.setNativeHeader(OrderPushHub.ORDER_HEADER, state.orderId());
        headers.setNativeHeader(OrderPushHub.VERSION_HEADER, Long.toString(state.version()));
        headers.setLeaveMutable(true);
        return MessageBuilder.createMessage(body, headers.getMessageHeaders());
    }

    private static void pause(CountDownLatch stop, Duration pause) {
        try {
            stop.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Consumer<String, OrderState> consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            log.warn("Closing the relay publisher's consumer failed", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        stopping.countDown();
        Consumer<String, OrderState> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
