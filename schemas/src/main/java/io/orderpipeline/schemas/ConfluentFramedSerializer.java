package io.orderpipeline.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes exactly the bytes of Apicurio's {@link AvroKafkaSerializer} in our configuration (magic byte, 4-byte content
 * id, Avro binary), but asks Apicurio only once per topic: the first record of a topic goes through Apicurio, which
 * registers or looks up the schema; its 5-byte prefix is kept and every later record is framed with it and encoded
 * with a reused encoder. Apicurio's own per-record path (schema lookup, cache check, buffer allocation) was half of
 * the stream-processor's CPU time.
 *
 * <p>One writer class means one schema, so the prefix depends only on the topic (subject {@code <topic>-value}). A
 * content id never changes for the same schema text, so the cached prefix stays valid for the life of the process.
 * Thread-safe: the producer and several stream threads may share one instance.
 */
final class ConfluentFramedSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** Magic byte and 4-byte schema id. */
    static final int PREFIX_LENGTH = 1 + Integer.BYTES;

    private final AvroKafkaSerializer<T> apicurio;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, byte[]> prefixByTopic = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    ConfluentFramedSerializer(AvroKafkaSerializer<T> apicurio, Class<T> type) {
        this.apicurio = apicurio;
        this.writer = new SpecificDatumWriter<>(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by AvroSerdes
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        byte[] prefix = prefixByTopic.get(topic);
        if (prefix == null) {
            byte[] framed = apicurio.serialize(topic, data);
            prefixByTopic.putIfAbsent(topic, Arrays.copyOf(framed, PREFIX_LENGTH));
            return framed;
        }
        Buffer buffer = buffers.get();
        try {
            buffer.out.reset();
            buffer.out.write(prefix);
            buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
            writer.write(data, buffer.encoder);
            buffer.encoder.flush();
            return buffer.out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot serialize " + data.getSchema().getFullName() + " for " + topic, e);
        }
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return serialize(topic, data); // schema ids travel in the payload, never in headers
    }

    @Override
    public void close() {
        apicurio.close();
    }

    private static final class Buffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        private BinaryEncoder encoder;
    }
}
