package io.orderpipeline.processor.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be deserialized to the dead-letter queue ({@code errors.dead.letter.queue.topic.name}) and
 * goes on, on every input topic.
 *
 * <p>Records of stream tasks take Kafka Streams' own path (KIP-1034): the DLQ record is written by the task's
 * producer, inside the same exactly-once transaction as the skipped offset. The global thread that fills the
 * {@code instruments} GlobalKTable has no record collector, and Kafka Streams would fail on a DLQ record there; for
 * those this handler writes the DLQ record with a small producer of its own (the global thread is not transactional
 * anyway) and resumes.
 *
 * <p>{@code TopologyTestDriver} cannot show either path: it drops records produced while a record is only being
 * queued, and runs its global task with a plain {@code LogAndContinueExceptionHandler}. Both are tested on a real
 * broker.
 */
public class DeadLetterDeserializationHandler extends LogAndContinueExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private final Map<String, Object> producerConfig = new HashMap<>();
    private String deadLetterTopic;
    private Producer<byte[], byte[]> globalProducer;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? null : String.valueOf(topic);
        // Connection and security settings of the application, for the global thread's own producer.
        Set<String> producerKeys = ProducerConfig.configNames();
        configs.forEach((key, value) -> {
            if (value != null && producerKeys.contains(key)) {
                producerConfig.put(key, value);
            }
        });
        configs.forEach((key, value) -> {
            String producerKey = key.startsWith(StreamsConfig.PRODUCER_PREFIX)
                    ? key.substring(StreamsConfig.PRODUCER_PREFIX.length())
                    : null;
            if (value != null && producerKey != null && producerKeys.contains(producerKey)) {
                producerConfig.put(producerKey, value);
            }
        });
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (context.taskId().subtopology() >= 0) {
            return super.handleError(context, record, exception);
        }
        log.warn(
                "Poison record on global topic {} partition {} offset {} skipped",
                record.topic(),
                record.partition(),
                record.offset(),
                exception);
        if (deadLetterTopic != null && producerConfig.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            ProducerRecord<byte[], byte[]> dead = ExceptionHandlerUtils.buildDeadLetterQueueRecord(
                    deadLetterTopic, context.sourceRawKey(), context.sourceRawValue(), context, exception);
            globalProducer().send(dead, (metadata, error) -> {
                if (error != null) {
                    log.error("Could not write poison record of {} to {}", record.topic(), deadLetterTopic, error);
                }
            });
            globalProducer().flush();
        }
        return Response.resume(List.of());
    }

    private synchronized Producer<byte[], byte[]> globalProducer() {
        if (globalProducer == null) {
            Map<String, Object> config = new HashMap<>(producerConfig);
            config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
            config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "global-dead-letter-" + System.identityHashCode(this));
            globalProducer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return globalProducer;
    }
}
