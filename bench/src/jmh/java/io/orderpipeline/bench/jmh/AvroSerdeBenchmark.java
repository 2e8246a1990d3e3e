package io.orderpipeline.bench.jmh;

import io.orderpipeline.bench.kafka.OrderFactory;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The serde on every hop of the pipeline: the project's serde ({@code AvroSerdes.valueSerde}: Confluent framing with
 * the schema id resolved once per topic or id), against Apicurio's own serializer in the same configuration (which
 * looks the schema up on every record) and plain Avro binary with reused encoders. The in-memory schema store is used,
 * so no registry round trip is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AvroSerdeBenchmark {

    private Serializer<OrderCommand> commandSerializer;
    private Deserializer<OrderCommand> commandDeserializer;
    private Serializer<OrderState> stateSerializer;
    private Deserializer<OrderState> stateDeserializer;
    private Serializer<OrderState> apicurioStateSerializer;
    private Deserializer<OrderState> apicurioStateDeserializer;
    private OrderCommand command;
    private OrderState state;
    private byte[] commandBytes;
    private byte[] stateBytes;
    private byte[] rawStateBytes;
    private final SpecificDatumWriter<OrderState> rawWriter = new SpecificDatumWriter<>(OrderState.class);
    private final SpecificDatumReader<OrderState> rawReader = new SpecificDatumReader<>(OrderState.class);
    private final ByteArrayOutputStream rawOut = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Setup
    public void setUp() throws IOException {
        AvroSerdes serdes = AvroSerdes.inMemory();
        commandSerializer = serdes.valueSerde(OrderCommand.class).serializer();
        commandDeserializer = serdes.valueSerde(OrderCommand.class).deserializer();
        stateSerializer = serdes.valueSerde(OrderState.class).serializer();
        stateDeserializer = serdes.valueSerde(OrderState.class).deserializer();
        apicurioStateSerializer = serdes.apicurioSerializer();
        apicurioStateDeserializer = serdes.apicurioDeserializer();
        OrderFactory orders = new OrderFactory("jmh", OrderFactory.fallbackProducts());
        String id = orders.orderId(1);
        command = orders.placeCommand("jmh", 1, id, Instant.now());
        state = orders.fillerState(1, id, Instant.now());
        commandBytes = commandSerializer.serialize("orders.commands", command);
        stateBytes = stateSerializer.serialize("orders.state", state);
        rawStateBytes = rawState();
        if (!java.util.Arrays.equals(apicurioStateSerializer.serialize("orders.state", state), stateBytes)) {
            throw new IllegalStateException("the project serde's bytes differ from the Apicurio serializer's");
        }
    }

    @Benchmark
    public byte[] serializeStateApicurio() {
        return apicurioStateSerializer.serialize("orders.state", state);
    }

    @Benchmark
    public OrderState deserializeStateApicurio() {
        return apicurioStateDeserializer.deserialize("orders.state", stateBytes);
    }

    @Benchmark
    public byte[] serializeCommand() {
        return commandSerializer.serialize("orders.commands", command);
    }

    @Benchmark
    public OrderCommand deserializeCommand() {
        return commandDeserializer.deserialize("orders.commands", commandBytes);
    }

    @Benchmark
    public byte[] serializeState() {
        return stateSerializer.serialize("orders.state", state);
    }

    @Benchmark
    public OrderState deserializeState() {
        return stateDeserializer.deserialize("orders.state", stateBytes);
    }

    @Benchmark
    public byte[] serializeStateRawAvro() throws IOException {
        return rawState();
    }

    @Benchmark
    public OrderState deserializeStateRawAvro() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(rawStateBytes, decoder);
        return rawReader.read(null, decoder);
    }

    private byte[] rawState() throws IOException {
        rawOut.reset();
        encoder = EncoderFactory.get().binaryEncoder(rawOut, encoder);
        rawWriter.write(state, encoder);
        encoder.flush();
        return rawOut.toByteArray();
    }
}
