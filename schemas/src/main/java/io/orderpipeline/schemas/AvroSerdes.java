package io.orderpipeline.schemas;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place that decides how Avro values are put on the wire. Every topic uses Apicurio's Avro serde in the
 * <b>Confluent wire format</b>: magic byte {@code 0}, a 4-byte big-endian schema id (the registry's content id), then
 * Avro binary; no schema headers. Subjects follow the TopicNameStrategy ({@code <topic>-value}), so a Confluent
 * {@code KafkaAvroDeserializer} pointed at the registry's {@code /apis/ccompat/v7} API reads our topics.
 *
 * <p>The serdes handed out write and read exactly Apicurio's bytes but consult Apicurio only once per topic (writing)
 * or schema id (reading) and do the per-record Avro work themselves ({@link ConfluentFramedSerializer}, {@link
 * ConfluentFramedDeserializer}); Kafka-native clients may use Apicurio's classes directly with {@link
 * #clientConfig(String)}.
 *
 * <p>Switching serde implementation means changing this class only.
 */
public final class AvroSerdes {

    private final Map<String, Object> config;
    private final InMemorySchemaRegistry inMemory;

    private AvroSerdes(Map<String, Object> config, InMemorySchemaRegistry inMemory) {
        this.config = Map.copyOf(config);
        this.inMemory = inMemory;
    }

    /**
     * Serdes backed by a real registry.
     *
     * @param registryUrl the Apicurio v2 API, e.g. {@code http://127.0.0.1:8085/apis/registry/v2}
     */
    public static AvroSerdes registry(String registryUrl) {
        return new AvroSerdes(clientConfig(registryUrl), null);
    }

    /**
     * Serdes that run the same Apicurio serializer against a schema store held in memory: for {@code
     * TopologyTestDriver} tests and benchmarks. Serdes from one instance share one store.
     */
    public static AvroSerdes inMemory() {
        return new AvroSerdes(clientConfig("in-memory://unused"), new InMemorySchemaRegistry());
    }

    /**
     * The serializer/deserializer properties that give our wire format, for Kafka-native clients configured by
     * properties ({@code value.serializer=io.apicurio.registry.serde.avro.AvroKafkaSerializer} and these).
     */
    public static Map<String, Object> clientConfig(String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, Objects.requireNonNull(registryUrl, "registryUrl"));
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
        // Named as well, so that Apicurio does not warn about a default id handler being replaced.
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        return config;
    }

    /** A value serde for a generated Avro class. */
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return Serdes.serdeFrom(
                new ConfluentFramedSerializer<>(apicurioSerializer(), type),
                new ConfluentFramedDeserializer<>(apicurioDeserializer(), type));
    }

    /**
     * Apicurio's own serializer in our configuration: the reference {@link #valueSerde(Class)} matches byte for byte
     * (and the baseline it is benchmarked against).
     */
    public <T> AvroKafkaSerializer<T> apicurioSerializer() {
        AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
        if (inMemory != null) {
            serializer.setSchemaResolver(inMemory.resolver());
        }
        serializer.configure(new HashMap<>(config), false);
        return serializer;
    }

    /** Apicurio's own deserializer in our configuration. */
    public <T> AvroKafkaDeserializer<T> apicurioDeserializer() {
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
        if (inMemory != null) {
            deserializer.setSchemaResolver(inMemory.resolver());
        }
        deserializer.configure(new HashMap<>(config), false);
        return deserializer;
    }

    /** Content id the in-memory store gave {@code schema}; only for {@link #inMemory()} serdes. */
    public long inMemoryContentId(Schema schema) {
        if (inMemory == null) {
            throw new IllegalStateException("not an in-memory AvroSerdes");
        }
        return inMemory.contentId(schema);
    }
}
