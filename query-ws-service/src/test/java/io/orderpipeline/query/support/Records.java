package io.orderpipeline.query.support;

import io.orderpipeline.schemas.AvroSerdes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes raw records (bytes, with headers) to any topic of the {@link TestStack} broker, as the stream-processor writes
 * its events and dead letters and ingest-api its re-drive marks; {@link #avro} encodes a value as they do.
 */
public final class Records implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    TestStack.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer());

    /** {@code value} in the Confluent wire format through the test registry. */
    @SuppressWarnings("unchecked")
    public static <T extends org.apache.avro.specific.SpecificRecord> byte[] avro(String topic, T value) {
        Class<T> type = (Class<T>) value.getClass();
        return AvroSerdes.registry(TestStack.registryUrl())
                .valueSerde(type)
                .serializer()
                .serialize(topic, value);
    }

    /** Sends to {@code partition} and waits for the broker; returns the record's offset. */
    public long send(String topic, int partition, byte[] key, byte[] value, List<Header> headers) {
        return offset(producer.send(new ProducerRecord<>(topic, partition, key, value, headers)), topic);
    }

    private static long offset(
            java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sent, String topic) {
        try {
            return sent.get(30, TimeUnit.SECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    private KafkaProducer<byte[], byte[]> transactional;

    /**
     * As {@link #send}, in a transaction of its own, as the stream-processor writes its dead letters: the commit
     * marker after the record takes an offset of its own.
     */
    public synchronized long sendCommitted(
            String topic, int partition, byte[] key, byte[] value, List<Header> headers) {
        if (transactional == null) {
            transactional = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            TestStack.bootstrapServers(),
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            "test-records-" + java.util.UUID.randomUUID()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
            transactional.initTransactions();
        }
        transactional.beginTransaction();
        long offset = offset(transactional.send(new ProducerRecord<>(topic, partition, key, value, headers)), topic);
        transactional.commitTransaction();
        return offset;
    }

    @Override
    public void close() {
        producer.close();
        if (transactional != null) {
            transactional.close();
        }
    }
}
