package io.orderpipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.orderpipeline.infra.ApicurioRegistryProcess;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format against a real Apicurio Registry: magic byte 0, a 4-byte big-endian id, then Avro binary,
 * where the id is one that the registry's Confluent-compatible API resolves to our schema. That is the promise
 * Kafka-native consumers (Confluent's {@code KafkaAvroDeserializer} included) rely on.
 */
class ConfluentWireFormatTest {

    private static ApicurioRegistryProcess registry;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startRegistry() {
        registry = ApicurioRegistryProcess.start(0, Path.of("target", "apicurio-wire-format.log"), List.of());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldFrameValuesWithMagicByteAndAnIdTheConfluentApiResolves() throws Exception {
        // given
        OrderTopics topics = OrderTopics.create(TopicNames.defaults(), AvroSerdes.registry(registry.registryApiUrl()));
        Serde<OrderCommand> serde = topics.commands().valueSerde();
        OrderCommand command = Orders.placeCommand("o-wire-1");

        // when
        byte[] bytes = serde.serializer().serialize(topics.commands().name(), command);

        // then: framing
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.get()).as("magic byte").isZero();
        int id = buffer.getInt();
        assertThat(id).isPositive();

        // then: the Confluent API resolves that id to exactly our schema
        String byId = get(registry.confluentApiUrl() + "/schemas/ids/" + id);
        Schema registered = new Schema.Parser().parse(JsonPath.<String>read(byId, "$.schema"));
        assertThat(registered).isEqualTo(OrderCommand.getClassSchema());

        // then: the subject follows the TopicNameStrategy
        String subjects = get(registry.confluentApiUrl() + "/subjects");
        assertThat(JsonPath.<List<String>>read(subjects, "$")).contains("orders.commands-value");

        // then: and our deserializer reads it back
        assertThat(serde.deserializer().deserialize(topics.commands().name(), bytes))
                .isEqualTo(command);
    }

    @Test
    void shouldReuseTheSameIdForTheSameSchema() throws Exception {
        AvroSerdes serdes = AvroSerdes.registry(registry.registryApiUrl());
        Serde<OrderCommand> first = serdes.valueSerde(OrderCommand.class);
        Serde<OrderCommand> second =
                AvroSerdes.registry(registry.registryApiUrl()).valueSerde(OrderCommand.class);

        byte[] a = first.serializer().serialize("orders.commands", Orders.placeCommand("o-a"));
        byte[] b = second.serializer().serialize("orders.commands", Orders.placeCommand("o-b"));

        assertThat(ByteBuffer.wrap(a, 1, 4).getInt())
                .isEqualTo(ByteBuffer.wrap(b, 1, 4).getInt());
    }

    @Test
    void shouldMatchApicuriosBytesAndResolveUnknownIdsThroughTheRegistry() {
        // given our serde and Apicurio's own serializer on the real registry
        AvroSerdes serdes = AvroSerdes.registry(registry.registryApiUrl());
        Serde<OrderCommand> framed = serdes.valueSerde(OrderCommand.class);
        io.apicurio.registry.serde.avro.AvroKafkaSerializer<OrderCommand> apicurio = serdes.apicurioSerializer();

        for (int i = 0; i < 3; i++) {
            // when: the first record asks the registry, later ones reuse its id
            OrderCommand command = Orders.placeCommand("o-framed-" + i);
            byte[] bytes = framed.serializer().serialize("orders.commands", command);

            // then
            assertThat(bytes).as("record %d", i).isEqualTo(apicurio.serialize("orders.commands", command));
            // and a reader that has never seen the id looks it up in the registry
            Serde<OrderCommand> fresh =
                    AvroSerdes.registry(registry.registryApiUrl()).valueSerde(OrderCommand.class);
            assertThat(fresh.deserializer().deserialize("orders.commands", bytes))
                    .isEqualTo(command);
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s -> %s", url, response.body())
                .isEqualTo(200);
        return response.body();
    }
}
