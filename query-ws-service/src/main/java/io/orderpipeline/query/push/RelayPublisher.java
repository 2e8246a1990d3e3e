package io.orderpipeline.query.push;

import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.QueryProperties;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.avro.OrderState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
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
 * every client on every instance. Offsets are committed after publishing (at least once: after a crash a change may
 * be published twice; clients drop versions they have seen). Per-order topics stay local (see {@link OrderPushHub}).
 */
@Component
@ConditionalOnProperty(prefix = "orders.stomp.relay", name = "enabled", havingValue = "true")
class RelayPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayPublisher.class);

    private final KafkaProperties kafka;
    private final OrderTopics topics;
    private final QueryProperties query;
    private final SimpMessagingTemplate broker;
    private final JsonMapper json;
    private volatile KafkaConsumer<String, OrderState> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    RelayPublisher(
            KafkaProperties kafka,
            OrderTopics topics,
            QueryProperties query,
            @Qualifier("brokerMessagingTemplate") SimpMessagingTemplate broker,
            JsonMapper json) {
        this.kafka = kafka;
        this.topics = topics;
        this.query = query;
        this.broker = broker;
        this.json = json;
    }

    @Override
    public void start() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, query.applicationId() + "-push-relay");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumer = new KafkaConsumer<>(
                config,
                Serdes.String().deserializer(),
                topics.state().valueSerde().deserializer());
        running = true;
        thread = new Thread(this::run, "order-push-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topics.state().name()));
            while (running) {
                try {
                    for (ConsumerRecord<String, OrderState> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.value() != null) {
                            publish(OrderView.from(record.value()));
                        }
                    }
                    consumer.commitSync();
                } catch (RecordDeserializationException e) {
                    log.warn("Skipping undeserializable record {}@{}", e.topicPartition(), e.offset());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("Relay publisher stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void publish(OrderView state) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON); // text frames for browsers, like the simple broker
        headers.setNativeHeader(OrderPushHub.KIND_HEADER, "delta");
        headers.setNativeHeader(OrderPushHub.ORDER_HEADER, state.orderId());
        headers.setNativeHeader(OrderPushHub.VERSION_HEADER, Long.toString(state.version()));
        headers.setLeaveMutable(true);
        broker.send(
                OrderPushHub.ALL,
                MessageBuilder.createMessage(json.writeValueAsBytes(state), headers.getMessageHeaders()));
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, OrderState> current = consumer;
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
