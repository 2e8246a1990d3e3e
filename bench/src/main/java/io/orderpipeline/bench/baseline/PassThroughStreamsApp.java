package io.orderpipeline.bench.baseline;

import io.orderpipeline.processor.topology.StreamsDefaults;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The Kafka Streams baseline, run as its own JVM: a topology that reads {@code OrderCommand}s and writes them
 * unchanged, through the project's own serde ({@link AvroSerdes#registry}), so each record is deserialized and
 * serialized exactly as in the stream-processor, with the same processing guarantee. Whatever the real topology
 * costs beyond this is the cost of our logic and state stores.
 *
 * <p>Arguments: {@code bootstrap registryUrl inTopic outTopic applicationId stateDir [key=value streams config...]}.
 * Prints {@code STATE RUNNING} when it is processing.
 */
public final class PassThroughStreamsApp {

    private PassThroughStreamsApp() {}

    /** The pass-through topology: source -> sink, both with the project's serdes. */
    public static Topology topology(String in, String out, Serde<OrderCommand> values) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), values).withName("passthrough-source"))
                .to(out, Produced.with(Serdes.String(), values).withName("passthrough-sink"));
        return builder.build();
    }

    public static void main(String[] args) throws InterruptedException {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[4]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[5]);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // the same commit interval as the order topology, so the latency baseline is like for like
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, StreamsDefaults.COMMIT_INTERVAL_MS);
        for (int i = 6; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            props.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Serde<OrderCommand> values = AvroSerdes.registry(args[1]).valueSerde(OrderCommand.class);
        KafkaStreams streams = new KafkaStreams(topology(args[2], args[3], values), props);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println("STATE " + now);
            System.out.flush();
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}
