package io.orderpipeline.query.deadletter;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.shared.TopicSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a dead-letter record into a {@link DeadLetterEntry}: decodes the error headers of either topic and, for the
 * detail, the payload with the Avro type of the topic it came from (a placement DLT record is a {@link
 * PlacementAttempt}; a DLQ record is whatever its original topic carries, when it decodes at all — often it is there
 * because it does not).
 */
@Component
class DeadLetterDecoder {

    // the placement DLT's headers (stream-processor's DeadLetterHeaders: Spring Kafka's names and binary encodings)
    static final String DLT_EXCEPTION = "kafka_dlt-exception-fqcn";
    static final String DLT_MESSAGE = "kafka_dlt-exception-message";
    static final String DLT_TOPIC = "kafka_dlt-original-topic";
    static final String DLT_PARTITION = "kafka_dlt-original-partition";
    static final String DLT_OFFSET = "kafka_dlt-original-offset";
    static final String DLT_ATTEMPTS = "retry_topic-attempts";
    // the DLQ's headers (Kafka Streams' KIP-1034 dead-letter records: every value a UTF-8 string)
    static final String STREAMS_EXCEPTION = "__streams.errors.exception";
    static final String STREAMS_MESSAGE = "__streams.errors.message";
    static final String STREAMS_TOPIC = "__streams.errors.topic";
    static final String STREAMS_PARTITION = "__streams.errors.partition";
    static final String STREAMS_OFFSET = "__streams.errors.offset";

    private static final int REASON_LENGTH = 160;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TopicSettings topics;
    private final Map<Class<? extends SpecificRecord>, Deserializer<? extends SpecificRecord>> deserializers =
            new LinkedHashMap<>();

    DeadLetterDecoder(TopicSettings topics, AvroSerdes serdes) {
        this.topics = topics;
        for (Class<? extends SpecificRecord> type : java.util.List.of(
                PlacementAttempt.class,
                OrderCommand.class,
                ExecutionReport.class,
                OrderEvent.class,
                OrderState.class,
                Instrument.class)) {
            deserializers.put(type, serdes.valueSerde(type).deserializer());
        }
    }

    /**
     * @param detail with the payload and every header
     * @param redrive the re-drive mark of the record's ref, or {@code null}
     */
    DeadLetterEntry decode(
            DeadLetterTopic topic, ConsumerRecord<byte[], byte[]> record, String redrive, boolean detail) {
        Headers headers = record.headers();
        boolean place = topic == DeadLetterTopic.PLACE;
        String exception = text(headers, place ? DLT_EXCEPTION : STREAMS_EXCEPTION);
        String message = text(headers, place ? DLT_MESSAGE : STREAMS_MESSAGE);
        String originalTopic = text(headers, place ? DLT_TOPIC : STREAMS_TOPIC);
        Long originalPartition = number(headers, place ? DLT_PARTITION : STREAMS_PARTITION);
        Long originalOffset = number(headers, place ? DLT_OFFSET : STREAMS_OFFSET);
        Long attempts = place ? number(headers, DLT_ATTEMPTS) : null;
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Class<? extends SpecificRecord> type = place ? PlacementAttempt.class : typeOf(originalTopic);
        SpecificRecord value = decodeValue(type, record);
        String orderId = orderIdOf(value, key);
        DeadLetterRef ref = new DeadLetterRef(topic, record.partition(), record.offset());
        return new DeadLetterEntry(
                ref.toString(),
                topic.shortName(),
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()).toString(),
                key,
                orderId,
                exception,
                message,
                originalTopic,
                originalPartition == null ? null : originalPartition.intValue(),
                originalOffset,
                attempts == null ? null : attempts.intValue(),
                reason(exception, message),
                redrive != null,
                mark(redrive),
                detail && type != null ? type.getSimpleName() : null,
                detail && value != null ? value.toString() : null,
                detail && value == null && record.value() != null
                        ? Base64.getEncoder().encodeToString(record.value())
                        : null,
                detail ? headerTexts(headers) : null);
    }

    /** ingest-api's JSON mark as a tree (shown as an object), else its text. */
    private static Object mark(String redrive) {
        if (redrive == null) {
            return null;
        }
        try {
            return JSON.readTree(redrive);
        } catch (JacksonException e) {
            return redrive;
        }
    }

    /** The Avro type records of {@code topic} carry, or {@code null} if it is none of the pipeline's. */
    Class<? extends SpecificRecord> typeOf(String topic) {
        if (topic == null) {
            return null;
        }
        if (topic.equals(topics.commands())) {
            return OrderCommand.class;
        }
        if (topic.equals(topics.executions())) {
            return ExecutionReport.class;
        }
        if (topic.equals(topics.deadLetter()) || topic.startsWith(topics.retryPrefix() + ".")) {
            return PlacementAttempt.class;
        }
        if (topic.equals(topics.events())) {
            return OrderEvent.class;
        }
        if (topic.equals(topics.state())) {
            return OrderState.class;
        }
        if (topic.equals(topics.instruments())) {
            return Instrument.class;
        }
        return null;
    }

    /** A short, stable description of the failure: what the summary counts by and the replay filter matches. */
    static String reason(String exception, String message) {
        String text = message == null || message.isBlank()
                ? exception
                : message.strip().lines().findFirst().orElse("");
        if (text == null || text.isBlank()) {
            return "unknown";
        }
        return text.length() > REASON_LENGTH ? text.substring(0, REASON_LENGTH) : text;
    }

    private SpecificRecord decodeValue(Class<? extends SpecificRecord> type, ConsumerRecord<byte[], byte[]> record) {
        if (type == null || record.value() == null) {
            return null;
        }
        try {
            return deserializers.get(type).deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            return null; // a poison record: shown as base64
        }
    }

    private static String orderIdOf(SpecificRecord value, String key) {
        if (value != null) {
            Schema.Field field = value.getSchema().getField("orderId");
            if (field != null && value.get(field.pos()) != null) {
                return value.get(field.pos()).toString();
            }
        }
        if (key != null) {
            try {
                return UUID.fromString(key).toString().equals(key) ? key : null; // orders.state/events keys
            } catch (IllegalArgumentException e) {
                return null; // an account id (orders.commands, orders.executions)
            }
        }
        return null;
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A number header: 4- or 8-byte big-endian (the DLT's) or decimal text (the DLQ's). */
    private static Long number(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        byte[] value = header.value();
        String text = new String(value, StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.chars().allMatch(c -> Character.isDigit(c) || c == '-')) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // fall through to the binary forms
            }
        }
        if (value.length == Integer.BYTES) {
            return (long) ByteBuffer.wrap(value).getInt();
        }
        if (value.length == Long.BYTES) {
            return ByteBuffer.wrap(value).getLong();
        }
        return null;
    }

    private static Map<String, String> headerTexts(Headers headers) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.key().equals(STREAMS_PARTITION)
                    || header.key().equals(STREAMS_OFFSET)
                    || header.key().equals(DLT_PARTITION)
                    || header.key().equals(DLT_OFFSET)
                    || header.key().equals(DLT_ATTEMPTS)) {
                Long number = number(headers, header.key());
                texts.put(header.key(), number == null ? null : number.toString());
            } else {
                texts.put(
                        header.key(),
                        header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return texts;
    }
}
