package io.orderpipeline.ingest.admin;

import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Re-drives a dead letter: sends it back where it came from, exactly once, and marks it.
 *
 * <ul>
 *   <li>A {@code dlq} record (a poison record the stream-processor could not deserialize or process, with Kafka
 *       Streams' {@code __streams.errors.*} headers) goes back to its original topic and partition with its original
 *       key, value and headers (the error headers dropped, {@value #REDRIVEN_FROM} added): once its cause is removed
 *       (a code or schema fix), the processor takes it as it would have the first time.
 *   <li>A {@code place} record (the last attempt of a FAILED order) cannot go back as it is: its original topic is
 *       the command topic or a retry tier, and an old attempt of a FAILED order is dropped there. It becomes a REPLAY
 *       command for its order (the same as {@code POST /admin/orders/{id}/replay}).
 * </ul>
 *
 * <p><b>Exactly once.</b> The record sent back, the mark on {@code orders.redrives} (key: the ref; value: JSON with
 * principal, time and where the record went) and a {@code REDRIVEN} event on {@code orders.events} are written in one
 * Kafka transaction. Every re-drive of a ref uses the same transactional id ({@link DeadLetterRef#transactionalId()}):
 * its {@code initTransactions} fences any other re-drive of that ref still in flight (on any instance) and waits for
 * its transaction to end, then the marks are read {@code read_committed}. A ref already marked is a {@code 409}; of two
 * concurrent re-drives, the fenced one fails its commit and is a {@code 409} too. So at most one re-drive per ref is
 * ever committed.
 *
 * <p><b>The event.</b> {@code REDRIVEN} is not a transition: ingest-api does not know the order's state, so it has
 * version 0 and the status the dead letter implies ({@code FAILED} for {@code place}, {@code PENDING} for a command
 * sent back). It is keyed by the order id when the dead letter decodes to one, else by the ref (its {@code orderId}
 * is then the ref).
 *
 * <p>Whether the cause was removed cannot be told here: a re-drive of a record that is still poison lands on the
 * dead-letter queue again, as a new dead letter with its own ref.
 */
final class Redrives {

    /** Header on a record sent back: the ref of the dead letter it came from. */
    static final String REDRIVEN_FROM = "orders.redriven-from";

    private static final Logger log = LoggerFactory.getLogger(Redrives.class);
    private static final String STREAMS_ERRORS = "__streams.errors.";
    private static final String STREAMS_TOPIC = "__streams.errors.topic";
    private static final String STREAMS_PARTITION = "__streams.errors.partition";

    /** Where a re-driven dead letter went. */
    record Redriven(
            String ref, String topic, int partition, long offset, String orderId, String principal, Instant at) {}

    private record Target(ProducerRecord<byte[], byte[]> record, String orderId, OrderStatus status) {}

    private final KafkaClients clients;
    private final DeadLetterReads reads;
    private final TopicSettings topics;
    private final OrderTopics orderTopics;
    private final AdminSettings settings;
    private final JsonMapper json;
    private final Clock clock;

    Redrives(
            KafkaClients clients,
            TopicSettings topics,
            OrderTopics orderTopics,
            AdminSettings settings,
            JsonMapper json,
            Clock clock) {
        this.clients = clients;
        this.reads = new DeadLetterReads(clients);
        this.topics = topics;
        this.orderTopics = orderTopics;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    DeadLetterRef parse(String ref) {
        return DeadLetterRef.parse(ref, topics.deadLetter(), topics.deadLetterQueue());
    }

    /**
     * @throws ErrorResponseException {@code 404} no such dead letter, {@code 409} already re-driven, {@code 422} it
     *     names no original topic, {@code 503} Kafka did not answer in time; nothing was written in each case
     */
    Redriven redrive(DeadLetterRef ref, String principal) {
        Duration timeout = settings.readTimeout();
        ConsumerRecord<byte[], byte[]> dead = reads.read(ref, timeout);
        try (Producer<byte[], byte[]> producer = producer(ref, timeout)) {
            try {
                return redrive(ref, dead, principal, producer, timeout);
            } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
                if (fenced(e)) {
                    // a concurrent re-drive of this ref called initTransactions after us: it decides, we are out
                    throw AdminProblems.alreadyRedriven(
                            ref, "Another re-drive of " + ref.ref() + " took over; this one was not committed.");
                }
                abortQuietly(producer);
                throw AdminProblems.unavailable(ref, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abortQuietly(producer);
                throw AdminProblems.unavailable(ref, e);
            }
        } catch (KafkaException e) {
            // initTransactions or close failed: nothing was committed
            throw AdminProblems.unavailable(ref, e);
        }
    }

    private Redriven redrive(
            DeadLetterRef ref,
            ConsumerRecord<byte[], byte[]> dead,
            String principal,
            Producer<byte[], byte[]> producer,
            Duration timeout)
            throws ExecutionException, java.util.concurrent.TimeoutException, InterruptedException {
        // fences any other re-drive of this ref and waits until its transaction is committed or aborted
        producer.initTransactions();
        Target target = target(ref, dead, principal, producer);
        int markPartition = markPartition(ref, producer);
        Optional<String> mark =
                reads.latest(new TopicPartition(topics.redrives(), markPartition), bytes(ref.ref()), timeout);
        if (mark.isPresent()) {
            throw AdminProblems.alreadyRedriven(
                    ref, "Dead letter " + ref.ref() + " was re-driven already: " + mark.get());
        }
        Instant at = Instant.ofEpochMilli(clock.millis());
        producer.beginTransaction();
        RecordMetadata sent = producer.send(target.record()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Redriven redriven =
                new Redriven(ref.ref(), sent.topic(), sent.partition(), sent.offset(), target.orderId(), principal, at);
        producer.send(
                new ProducerRecord<>(topics.redrives(), markPartition, bytes(ref.ref()), markValue(ref, redriven)));
        producer.send(event(ref, redriven, target.status()));
        producer.commitTransaction();
        log.info(
                "dead letter {} re-driven by {} to {}-{}@{}",
                ref.ref(),
                principal,
                sent.topic(),
                sent.partition(),
                sent.offset());
        return redriven;
    }

    private static boolean fenced(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private static void abortQuietly(Producer<?, ?> producer) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            // not in a transaction, or the broker is gone: the next re-drive of the ref (same id) aborts it
            log.debug("abort of a failed re-drive: {}", e.toString());
        }
    }

    private Target target(
            DeadLetterRef ref, ConsumerRecord<byte[], byte[]> dead, String principal, Producer<?, ?> producer) {
        if (DeadLetterRef.PLACE.equals(ref.kind())) {
            PlacementAttempt attempt;
            try {
                attempt = orderTopics
                        .deadLetter()
                        .valueSerde()
                        .deserializer()
                        .deserialize(ref.topic(), dead.headers(), dead.value());
            } catch (RuntimeException e) {
                throw AdminProblems.notRedrivable(ref, "Its value is not a placement attempt: " + e.getMessage());
            }
            UUID orderId = UUID.fromString(attempt.getOrderId());
            OrderCommand replay = OrderCommand.newBuilder()
                    .setCommandId(UUID.nameUUIDFromBytes(bytes("redrive\u0000" + ref.transactionalId()))
                            .toString())
                    .setType(CommandType.REPLAY)
                    .setOrderId(orderId.toString())
                    .setPrincipal(principal)
                    .setRequestedAt(Instant.ofEpochMilli(clock.millis()))
                    .build();
            RecordHeaders headers = new RecordHeaders();
            headers.add(REDRIVEN_FROM, bytes(ref.ref()));
            byte[] value =
                    orderTopics.commands().valueSerde().serializer().serialize(topics.commands(), headers, replay);
            int partition = OrderRouting.partitionOf(
                    orderId, producer.partitionsFor(topics.commands()).size());
            return new Target(
                    new ProducerRecord<>(topics.commands(), partition, bytes(orderId.toString()), value, headers),
                    orderId.toString(),
                    OrderStatus.FAILED);
        }
        String original = text(dead.headers().lastHeader(STREAMS_TOPIC));
        if (original == null || original.isBlank()) {
            throw AdminProblems.notRedrivable(ref, "It names no original topic (header " + STREAMS_TOPIC + ").");
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : dead.headers()) {
            if (!header.key().startsWith(STREAMS_ERRORS)) {
                headers.add(header);
            }
        }
        headers.add(REDRIVEN_FROM, bytes(ref.ref()));
        Integer partition = partitionHeader(dead.headers().lastHeader(STREAMS_PARTITION));
        return new Target(
                new ProducerRecord<>(original, partition, dead.key(), dead.value(), headers),
                orderIdOf(original, dead),
                OrderStatus.PENDING);
    }

    /** The order id of a command sent back, if the record decodes as one that names it. */
    private String orderIdOf(String topic, ConsumerRecord<byte[], byte[]> dead) {
        if (!topic.equals(topics.commands()) || dead.value() == null) {
            return null;
        }
        try {
            OrderCommand command =
                    orderTopics.commands().valueSerde().deserializer().deserialize(topic, dead.headers(), dead.value());
            return command.getOrderId() == null || command.getOrderId().isBlank() ? null : command.getOrderId();
        } catch (RuntimeException poison) {
            return null;
        }
    }

    private int markPartition(DeadLetterRef ref, Producer<?, ?> producer) {
        // Kafka's default partitioning of a keyed record, so that any client finds the mark of a ref where it expects
        return Utils.toPositive(Utils.murmur2(bytes(ref.ref())))
                % producer.partitionsFor(topics.redrives()).size();
    }

    private byte[] markValue(DeadLetterRef ref, Redriven redriven) {
        Map<String, Object> mark = new LinkedHashMap<>();
        mark.put("ref", ref.ref());
        mark.put("deadLetterTopic", ref.topic());
        mark.put("principal", redriven.principal());
        mark.put("at", redriven.at().toString());
        mark.put("topic", redriven.topic());
        mark.put("partition", redriven.partition());
        mark.put("offset", redriven.offset());
        mark.put("orderId", redriven.orderId());
        return json.writeValueAsBytes(mark);
    }

    private ProducerRecord<byte[], byte[]> event(DeadLetterRef ref, Redriven redriven, OrderStatus status) {
        String orderId = redriven.orderId() != null ? redriven.orderId() : ref.ref();
        OrderEvent event = OrderEvent.newBuilder()
                .setOrderId(orderId)
                .setType(OrderEventType.REDRIVEN)
                .setVersion(0L)
                .setStatus(status)
                .setDetail("dead letter " + ref.ref() + " (" + ref.topic() + ") re-driven to " + redriven.topic() + "-"
                        + redriven.partition() + "@" + redriven.offset())
                .setOccurredAt(redriven.at())
                .setPrincipal(redriven.principal())
                .build();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = orderTopics.events().valueSerde().serializer().serialize(topics.events(), headers, event);
        return new ProducerRecord<>(topics.events(), null, bytes(orderId), value, headers);
    }

    private Producer<byte[], byte[]> producer(DeadLetterRef ref, Duration timeout) {
        return clients.producer(
                Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        ref.transactionalId(),
                        ProducerConfig.CLIENT_ID_CONFIG,
                        ref.transactionalId(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        timeout.toMillis(),
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        (int) Math.max(10_000, 2 * timeout.toMillis())),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static Integer partitionHeader(Header header) {
        String text = text(header);
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
