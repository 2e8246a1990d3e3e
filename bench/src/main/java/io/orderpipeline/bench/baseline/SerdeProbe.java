package io.orderpipeline.bench.baseline;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.schemas.avro.OrderState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The production serde's cost per record against the real registry (ids cached after the first record, as in the
 * services), next to plain Avro binary: what every produce, consume, store put and store get pays. A timing loop, not
 * JMH (JMH runs after the registry is gone); 20k warm-up, 50k measured, so read it as an order of magnitude.
 */
final class SerdeProbe {

    private static final int WARM = 20_000;
    private static final int RUNS = 50_000;

    private SerdeProbe() {}

    static void run(BenchContext ctx) {
        OrderState state = ctx.orders.fillerState(1, ctx.orders.orderId(1), Instant.now());
        String topic = ctx.topics.state().name();
        Serializer<OrderState> ser = ctx.topics.state().valueSerde().serializer();
        Deserializer<OrderState> de = ctx.topics.state().valueSerde().deserializer();
        SpecificDatumWriter<OrderState> writer = new SpecificDatumWriter<>(OrderState.class);
        SpecificDatumReader<OrderState> reader = new SpecificDatumReader<>(OrderState.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder[] enc = {null};
        BinaryDecoder[] dec = {null};
        byte[] framed = ser.serialize(topic, state);
        byte[] raw = raw(writer, state, out, enc);
        double serNs = 0;
        double deNs = 0;
        double rawSerNs = 0;
        double rawDeNs = 0;
        for (int round = 0; round < 2; round++) { // round 0 warms up
            int n = round == 0 ? WARM : RUNS;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                framed = ser.serialize(topic, state);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                de.deserialize(topic, framed);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                raw = raw(writer, state, out, enc);
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                dec[0] = DecoderFactory.get().binaryDecoder(raw, dec[0]);
                try {
                    reader.read(null, dec[0]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            long t4 = System.nanoTime();
            serNs = (t1 - t0) / (double) n;
            deNs = (t2 - t1) / (double) n;
            rawSerNs = (t3 - t2) / (double) n;
            rawDeNs = (t4 - t3) / (double) n;
        }
        ctx.report.add(new Report.Row(
                "0 serde",
                "AvroSerdes.registry serialize OrderState (" + framed.length + " B)",
                serNs / 1000,
                "us/record",
                rawSerNs / 1000,
                "plain Avro binary",
                false,
                "production Apicurio resolver, ids cached; timing loop"));
        ctx.report.add(new Report.Row(
                "0 serde",
                "AvroSerdes.registry deserialize OrderState",
                deNs / 1000,
                "us/record",
                rawDeNs / 1000,
                "plain Avro binary",
                false,
                "timing loop"));
    }

    private static byte[] raw(
            SpecificDatumWriter<OrderState> writer, OrderState state, ByteArrayOutputStream out, BinaryEncoder[] enc) {
        out.reset();
        enc[0] = EncoderFactory.get().binaryEncoder(out, enc[0]);
        try {
            writer.write(state, enc[0]);
            enc[0].flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
