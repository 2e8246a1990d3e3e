package io.orderpipeline.schemas;

import io.apicurio.registry.resolver.ParsedSchema;
import io.apicurio.registry.resolver.ParsedSchemaImpl;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.resolver.strategy.ArtifactReferenceResolverStrategy;
import io.apicurio.registry.rest.client.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Schemas held in memory, handed out to Apicurio's own serializer and deserializer through a {@link SchemaResolver}.
 * Ids are assigned like a registry's content ids: the same schema text always gets the same id. Thread-safe.
 */
final class InMemorySchemaRegistry {

    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<String, Long> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Long, Schema> schemasById = new ConcurrentHashMap<>();

    long contentId(Schema schema) {
        return idsBySchema.computeIfAbsent(schema.toString(), text -> {
            long id = nextId.getAndIncrement();
            schemasById.put(id, schema);
            return id;
        });
    }

    @SuppressWarnings("unchecked")
    <U> SchemaResolver<Schema, U> resolver() {
        return new Resolver();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final class Resolver implements SchemaResolver {

        private SchemaParser<Schema, Object> parser;

        @Override
        public void configure(Map configs, SchemaParser schemaParser) {
            this.parser = schemaParser;
        }

        @Override
        public void setClient(RegistryClient client) {
            // no remote registry
        }

        @Override
        public void setArtifactResolverStrategy(ArtifactReferenceResolverStrategy strategy) {
            // ids do not depend on the subject in memory
        }

        @Override
        public SchemaParser getSchemaParser() {
            return parser;
        }

        @Override
        public SchemaLookupResult resolveSchema(Record data) {
            ParsedSchema<Schema> parsed = parser.getSchemaFromData(data);
            long id = contentId(parsed.getParsedSchema());
            return lookupResult(id, parsed.getParsedSchema());
        }

        @Override
        public SchemaLookupResult resolveSchemaByArtifactReference(ArtifactReference reference) {
            Long id = reference.getContentId() != null ? reference.getContentId() : reference.getGlobalId();
            Schema schema = id == null ? null : schemasById.get(id);
            if (schema == null) {
                throw new SerializationException("Unknown schema id " + id + " in in-memory registry");
            }
            return lookupResult(id, schema);
        }

        private SchemaLookupResult<Schema> lookupResult(long id, Schema schema) {
            ParsedSchema<Schema> parsed = new ParsedSchemaImpl<Schema>()
                    .setParsedSchema(schema)
                    .setRawSchema(schema.toString().getBytes(StandardCharsets.UTF_8));
            return SchemaLookupResult.<Schema>builder()
                    .contentId(id)
                    .globalId(id)
                    .parsedSchema(parsed)
                    .build();
        }

        @Override
        public void reset() {
            // ids are stable for the life of the store
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
