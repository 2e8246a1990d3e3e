package io.orderpipeline.ingest.command;

import io.orderpipeline.schemas.OrderRouting;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A record a committer sends. Most go where their key sends them (a PLACE by its account id, an idempotency record by
 * its id); a CANCEL names {@code routeOf}, its order id, and goes to the partition that id routes to ({@link
 * OrderRouting#partitionOf(UUID, int)}: the partition of the order's PLACE), so the stream-processor sees both in one
 * task without knowing the account. The partition count is the one the committer's producer knows when it sends.
 */
record OutgoingRecord(ProducerRecord<String, byte[]> record, UUID routeOf) {

    static OutgoingRecord keyed(ProducerRecord<String, byte[]> record) {
        return new OutgoingRecord(record, null);
    }

    /** The record to hand to the producer; {@code partitions} is asked only for a routed record. */
    ProducerRecord<String, byte[]> toSend(IntSupplier partitions) {
        if (routeOf == null) {
            return record;
        }
        int partition = OrderRouting.partitionOf(routeOf, partitions.getAsInt());
        return new ProducerRecord<>(
                record.topic(), partition, record.timestamp(), record.key(), record.value(), record.headers());
    }
}
