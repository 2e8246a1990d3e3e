package io.orderpipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The serde {@link AvroSerdes} hands out must be indistinguishable from Apicurio's on the wire: same bytes written,
 * same records read, in both directions, from any thread, and with a writer schema older than the reader's.
 */
class ConfluentFramedSerdeTest {

    private static final String TOPIC = "orders.state";

    @Test
    void shouldWriteExactlyTheBytesApicurioWritesForEveryRecord() {
        // given
        AvroSerdes serdes = AvroSerdes.inMemory();
        Serde<OrderState> framed = serdes.valueSerde(OrderState.class);
        AvroKafkaSerializer<OrderState> apicurio = serdes.apicurioSerializer();
        Random random = new Random(7);

        for (int i = 0; i < 500; i++) {
            OrderState state = randomState(random, i);

            // when
            byte[] ours = framed.serializer().serialize(TOPIC, state);

            // then
            assertThat(ours).as("record %d", i).isEqualTo(apicurio.serialize(TOPIC, state));
        }
    }

    @Test
    void shouldReadWhatApicurioWritesAndLetApicurioReadWhatItWrites() {
        // given
        AvroSerdes serdes = AvroSerdes.inMemory();
        Serde<OrderState> framed = serdes.valueSerde(OrderState.class);
        AvroKafkaSerializer<OrderState> apicurioWriter = serdes.apicurioSerializer();
        AvroKafkaDeserializer<OrderState> apicurioReader = serdes.apicurioDeserializer();
        Random random = new Random(11);

        for (int i = 0; i < 200; i++) {
            OrderState state = randomState(random, i);

            // when
            OrderState readByUs = framed.deserializer().deserialize(TOPIC, apicurioWriter.serialize(TOPIC, state));
            OrderState readByApicurio =
                    apicurioReader.deserialize(TOPIC, framed.serializer().serialize(TOPIC, state));

            // then
            assertThat(readByUs).as("record %d", i).isEqualTo(state);
            assertThat(readByApicurio).as("record %d", i).isEqualTo(state);
        }
    }

    @Test
    void shouldFrameEachTopicWithItsOwnSubjectsId() {
        // given one serde used on two topics (two subjects, same schema text: the same content id)
        AvroSerdes serdes = AvroSerdes.inMemory();
        Serde<OrderCommand> framed = serdes.valueSerde(OrderCommand.class);
        AvroKafkaSerializer<OrderCommand> apicurio = serdes.apicurioSerializer();

        // when
        for (String topic : List.of("a", "b", "a", "b")) {
            OrderCommand command = Orders.placeCommand("o-" + topic);

            // then
            assertThat(framed.serializer().serialize(topic, command)).isEqualTo(apicurio.serialize(topic, command));
        }
    }

    @Test
    void shouldWriteTheSameBytesFromManyThreadsAtOnce() throws Exception {
        // given one serde shared like a producer or several stream threads share it
        AvroSerdes serdes = AvroSerdes.inMemory();
        Serde<OrderState> framed = serdes.valueSerde(OrderState.class);
        AvroKafkaSerializer<OrderState> apicurio = serdes.apicurioSerializer();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            // when
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    List<String> mismatches = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        OrderState state = randomState(random, i);
                        byte[] ours = framed.serializer().serialize(TOPIC, state);
                        if (!state.equals(framed.deserializer().deserialize(TOPIC, ours))) {
                            mismatches.add(state.getOrderId() + " did not round-trip");
                        }
                        if (!Arrays.equals(ours, apicurio.serialize(TOPIC, state))) {
                            mismatches.add(state.getOrderId() + " differs from Apicurio's bytes");
                        }
                    }
                    return mismatches;
                }));
            }

            // then
            List<String> mismatches = new ArrayList<>();
            for (Future<List<String>> result : results) {
                mismatches.addAll(result.get(2, TimeUnit.MINUTES));
            }
            assertThat(mismatches).isEmpty();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldReadRecordsWrittenWithAnOlderSchemaUsingTheFieldDefaults() throws IOException {
        // given bytes framed with the id of an older OrderState that had no lastError and no nextAttemptAt
        AvroSerdes serdes = AvroSerdes.inMemory();
        Schema older = withoutFields(OrderState.getClassSchema(), "lastError", "nextAttemptAt");
        long olderId = serdes.inMemoryContentId(older);
        OrderState current = randomState(new Random(3), 1);
        GenericRecord old = new GenericData.Record(older);
        for (Schema.Field field : older.getFields()) {
            old.put(field.name(), current.get(field.name()));
        }
        byte[] bytes = frame(olderId, older, old);
        Serde<OrderState> framed = serdes.valueSerde(OrderState.class);

        // when
        OrderState read = framed.deserializer().deserialize(TOPIC, bytes);

        // then the missing fields take their defaults, exactly as Apicurio's reader gives them
        assertThat(read.getLastError()).isNull();
        assertThat(read.getNextAttemptAt()).isNull();
        assertThat(read.getOrderId()).isEqualTo(current.getOrderId());
        assertThat(read.getPrice()).isEqualTo(current.getPrice());
        assertThat(read).isEqualTo(serdes.<OrderState>apicurioDeserializer().deserialize(TOPIC, bytes));
    }

    @Test
    void shouldFailTruncatedRecordsWithASerializationException() {
        // given
        AvroSerdes serdes = AvroSerdes.inMemory();
        Serde<OrderState> framed = serdes.valueSerde(OrderState.class);
        byte[] whole = framed.serializer().serialize(TOPIC, randomState(new Random(5), 1));
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

        // when / then
        assertThatThrownBy(() -> framed.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("OrderState");
    }

    @Test
    void shouldPassNullsThroughAsTombstones() {
        Serde<OrderState> framed = AvroSerdes.inMemory().valueSerde(OrderState.class);

        assertThat(framed.serializer().serialize(TOPIC, null)).isNull();
        assertThat(framed.deserializer().deserialize(TOPIC, null)).isNull();
    }

    private static OrderState randomState(Random random, int i) {
        boolean limit = random.nextBoolean();
        boolean failed = random.nextInt(4) == 0;
        Instant created = Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000_000));
        return OrderState.newBuilder()
                .setOrderId("o-" + i + "-" + random.nextInt())
                .setAccountId("acc-" + random.nextInt(100))
                .setClientOrderId(random.nextBoolean() ? null : "c-" + random.nextInt())
                .setSymbol(List.of("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA").get(random.nextInt(5)))
                .setSide(random.nextBoolean() ? Side.BUY : Side.SELL)
                .setOrderType(limit ? OrderType.LIMIT : OrderType.MARKET)
                .setQuantity(1 + random.nextInt(1_000_000))
                .setPrice(
                        limit
                                ? BigDecimal.valueOf(random.nextInt(100_000_000), 4)
                                        .setScale(6)
                                : null)
                .setStatus(OrderStatus.values()[random.nextInt(OrderStatus.values().length)])
                .setVersion(1 + random.nextInt(20))
                .setAttempts(random.nextInt(5))
                .setReasons(failed ? List.of("EXCHANGE_REJECTED", "r" + random.nextInt(9)) : List.of())
                .setExchangeOrderId(random.nextBoolean() ? "X-" + random.nextLong() : null)
                .setNextAttemptAt(random.nextBoolean() ? created.plusMillis(random.nextInt(60_000)) : null)
                .setLastError(failed ? "timeout é ü " + random.nextInt() : null)
                .setCreatedAt(created)
                .setUpdatedAt(created.plusMillis(random.nextInt(10_000)))
                .build();
    }

    private static Schema withoutFields(Schema schema, String... dropped) {
        List<String> names = List.of(dropped);
        List<Schema.Field> kept = schema.getFields().stream()
                .filter(field -> !names.contains(field.name()))
                .map(field -> new Schema.Field(field, field.schema()))
                .collect(Collectors.toList());
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
    }

    private static byte[] frame(long id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt((int) id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        new GenericDatumWriter<GenericRecord>(schema, model).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
