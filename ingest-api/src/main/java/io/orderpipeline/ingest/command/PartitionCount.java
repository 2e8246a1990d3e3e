package io.orderpipeline.ingest.command;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;

/**
 * The partition count of the commands topic, as a producer's metadata knows it, shared by the committers. Cached once
 * known: a topic never shrinks, and the first CANCEL after a restart must not wait for metadata. Each new producer
 * {@link #learn learns} it again, so a topic that grew is seen after the next producer change (growing the commands
 * topic moves accounts to other partitions anyway: it needs a rebuilt pipeline, see {@code docs/ARCHITECTURE.md}).
 */
final class PartitionCount {

    private final String topic;
    private final AtomicInteger known = new AtomicInteger();

    PartitionCount(String topic) {
        this.topic = topic;
    }

    /**
     * The cached count, or the producer's (waiting up to {@code max.block.ms} for metadata, then a {@link
     * org.apache.kafka.common.errors.TimeoutException}, as {@code send} would).
     */
    int of(Producer<String, byte[]> producer) {
        int count = known.get();
        return count > 0 ? count : learn(producer);
    }

    /** Asks {@code producer}'s metadata and keeps the largest count seen. */
    int learn(Producer<String, byte[]> producer) {
        int count = producer.partitionsFor(topic).size();
        return known.accumulateAndGet(count, Math::max);
    }
}
