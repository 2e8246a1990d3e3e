package io.orderpipeline.bench.kafka;

import io.orderpipeline.schemas.avro.Instrument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the compacted instruments topic to its end: the reference data the stack seeded. */
public final class Instruments {

    private Instruments() {}

    public static List<Instrument> read(
            KafkaClients kafka, String topic, Deserializer<Instrument> values, Duration timeout) {
        Map<String, Instrument> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, Instrument> consumer =
                kafka.consumer("bench-instruments", new StringDeserializer(), values)) {
            if (consumer.partitionsFor(topic).isEmpty()) {
                return List.of();
            }
            KafkaClients.assignAll(consumer, topic, Map.of());
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !reached(consumer, end)) {
                for (ConsumerRecord<String, Instrument> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        return new ArrayList<>(latest.values());
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
