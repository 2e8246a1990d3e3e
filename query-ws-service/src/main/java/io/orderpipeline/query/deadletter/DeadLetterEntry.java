package io.orderpipeline.query.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One dead-letter record as the admin API shows it. Error headers of both topics are decoded into the same fields: the
 * placement DLT's Spring-style {@code kafka_dlt-*} / {@code retry_topic-attempts} and the DLQ's Kafka Streams {@code
 * __streams.errors.*}.
 *
 * @param ref {@code <topic-short>-<partition>-<offset>}, stable for the life of the record
 * @param topic {@code place} or {@code dlq}
 * @param orderId the order the record is about, where the payload (or a key that is an order id) tells
 * @param attempts placement attempts made (placement DLT only)
 * @param reason what the counts of the summary group by: the exception message's first line, else its class
 * @param redrive the re-drive mark of {@code orders.redrives} for this ref as ingest-api wrote it (JSON: principal,
 *     at, topic, partition, offset, orderId; text if it is not JSON), {@code null} if never re-driven
 * @param payload the value decoded with the topic's Avro schema (detail only; {@code null} if it does not decode)
 * @param payloadBase64 the raw value when it does not decode (detail only)
 * @param headers every header as text (detail only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DeadLetterEntry(
        String ref,
        String topic,
        String kafkaTopic,
        int partition,
        long offset,
        String timestamp,
        String key,
        String orderId,
        String exceptionClass,
        String exceptionMessage,
        String originalTopic,
        Integer originalPartition,
        Long originalOffset,
        Integer attempts,
        String reason,
        boolean redriven,
        Object redrive,
        String payloadType,
        String payload,
        String payloadBase64,
        Map<String, String> headers) {

    DeadLetterEntry summaryOnly() {
        return new DeadLetterEntry(
                ref,
                topic,
                kafkaTopic,
                partition,
                offset,
                timestamp,
                key,
                orderId,
                exceptionClass,
                exceptionMessage,
                originalTopic,
                originalPartition,
                originalOffset,
                attempts,
                reason,
                redriven,
                redrive,
                null,
                null,
                null,
                null);
    }
}
