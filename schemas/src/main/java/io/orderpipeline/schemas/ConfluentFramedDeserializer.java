package io.orderpipeline.schemas;

import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format (magic byte, 4-byte content id, Avro binary) into a generated class, resolving each
 * writer schema once: the first record with a given id asks Apicurio's schema resolver for the writer schema (cached
 * by Apicurio as well) and builds a resolving reader from it to the class's schema; later records with that id are
 * decoded directly. Anything that is not magic byte 0 followed by an id is handed to Apicurio's deserializer, so
 * malformed input fails with the same errors as before. Thread-safe.
 */
final class ConfluentFramedDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final byte MAGIC_BYTE = 0;
    private static final int PREFIX_LENGTH = ConfluentFramedSerializer.PREFIX_LENGTH;

    private final AvroKafkaDeserializer<T> apicurio;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder[]> decoders = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    ConfluentFramedDeserializer(AvroKafkaDeserializer<T> apicurio, Class<T> type) {
        this.apicurio = apicurio;
        this.readerSchema = SpecificData.get().getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by AvroSerdes
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < PREFIX_LENGTH || data[0] != MAGIC_BYTE) {
            return apicurio.deserialize(topic, data);
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        SpecificDatumReader<T> reader = readersById.computeIfAbsent(id, this::readerFor);
        BinaryDecoder[] decoder = decoders.get();
        try {
            decoder[0] =
                    DecoderFactory.get().binaryDecoder(data, PREFIX_LENGTH, data.length - PREFIX_LENGTH, decoder[0]);
            return reader.read(null, decoder[0]);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot deserialize " + readerSchema.getFullName() + " (schema id " + id + ") from " + topic, e);
        }
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data); // schema ids travel in the payload, never in headers
    }

    private SpecificDatumReader<T> readerFor(int id) {
        Schema writerSchema = apicurio.getSchemaResolver()
                .resolveSchemaByArtifactReference(
                        ArtifactReference.builder().contentId((long) id).build())
                .getParsedSchema()
                .getParsedSchema();
        return new SpecificDatumReader<>(writerSchema, readerSchema, SpecificData.getForSchema(readerSchema));
    }

    @Override
    public void close() {
        apicurio.close();
    }
}
