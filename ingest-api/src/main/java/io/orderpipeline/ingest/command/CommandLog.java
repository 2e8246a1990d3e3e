package io.orderpipeline.ingest.command;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link OrderCommand}s to {@code orders.commands}, keyed by order id, and reports the broker's verdict as a
 * future that completes on the producer's I/O thread.
 *
 * <p><b>Delivery.</b> The producer is idempotent with {@code acks=all}: a completed future means every in-sync
 * replica has the record, and the producer's own retries never duplicate it. A failed future
 * ({@link CommandNotWrittenException}) comes at the latest after {@code max.block.ms + delivery.timeout.ms}. It
 * means "not acknowledged", which is "not written" in every case but one: a broker that appended the batch and was
 * lost before its acknowledgement reached us (a crash or network cut during an in-flight request). Kafka cannot tell
 * the producer which it was. Clients that retry with an {@code Idempotency-Key} are safe in that case too, because
 * the retry carries the same order id and the topology ignores a second PLACE for an order it knows.
 *
 * <p><b>Ordering.</b> Commands of one order share a key, hence a partition; with idempotence the producer keeps
 * them in send order even across retries.
 */
public class CommandLog {

    private static final Logger log = LoggerFactory.getLogger(CommandLog.class);

    private final Producer<String, byte[]> producer;
    private final Topic<String, OrderCommand> topic;
    private final Serializer<OrderCommand> serializer;
    private final Timer acknowledged;
    private final Timer failed;

    public CommandLog(Producer<String, byte[]> producer, Topic<String, OrderCommand> topic, MeterRegistry meters) {
        this.producer = producer;
        this.topic = topic;
        this.serializer = topic.valueSerde().serializer();
        this.acknowledged = latency(meters, topic.name(), "acknowledged");
        this.failed = latency(meters, topic.name(), "failed");
    }

    /**
     * Sends {@code command} and completes when the broker acknowledged it, or fails with {@link
     * CommandNotWrittenException}. May block the caller for up to {@code max.block.ms} while the producer has no
     * metadata for the topic (broker unreachable) or no buffer space.
     */
    public CompletableFuture<RecordMetadata> append(OrderCommand command) {
        String orderId = command.getOrderId();
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        long start = System.nanoTime();
        try {
            RecordHeaders headers = new RecordHeaders();
            byte[] value = serializer.serialize(topic.name(), headers, command);
            producer.send(new ProducerRecord<>(topic.name(), null, orderId, value, headers), (metadata, error) -> {
                record(start, error == null);
                if (error == null) {
                    result.complete(metadata);
                } else {
                    log.warn(
                            "{} command {} for order {} not written: {}",
                            command.getType(),
                            command.getCommandId(),
                            orderId,
                            error.toString());
                    result.completeExceptionally(new CommandNotWrittenException(orderId, error));
                }
            });
        } catch (RuntimeException e) {
            // max.block.ms elapsed without metadata, schema registry unreachable, producer closed ...
            record(start, false);
            log.warn(
                    "{} command {} for order {} not sent: {}",
                    command.getType(),
                    command.getCommandId(),
                    orderId,
                    e.toString());
            result.completeExceptionally(new CommandNotWrittenException(orderId, e));
        }
        return result;
    }

    private void record(long start, boolean ok) {
        (ok ? acknowledged : failed).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private static Timer latency(MeterRegistry meters, String topic, String outcome) {
        return Timer.builder("ingest.produce.latency")
                .description("Time from send() to the broker's acknowledgement (or failure) of a command")
                .tag("topic", topic)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters);
    }
}
