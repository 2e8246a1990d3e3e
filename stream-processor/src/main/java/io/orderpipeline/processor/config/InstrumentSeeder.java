package io.orderpipeline.processor.config;

import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.StartupSettings;
import io.orderpipeline.shared.TopicSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes the default instruments to the compacted {@code instruments} topic at start-up and waits for the broker's
 * acknowledgement <em>before</em> the Kafka Streams instance starts ({@link ProcessorStartup}): the GlobalKTable is
 * bootstrapped to the end of the topic before any order is processed, so the first order already sees them.
 *
 * <p>An attempt that times out or meets a retriable error is repeated with a fresh producer until {@code
 * orders.startup.timeout}. Writing an instrument twice is harmless: the topic is compacted by symbol and the values
 * are the same.
 */
@Component
class InstrumentSeeder {

    private static final Logger log = LoggerFactory.getLogger(InstrumentSeeder.class);

    /** Bounds of one attempt; the attempts together are bounded by {@code orders.startup.timeout}. */
    private static final Map<String, Object> PRODUCER_OVERRIDES = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.CLIENT_ID_CONFIG, "stream-processor-instrument-seeder",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);

    private final KafkaClients clients;
    private final InstrumentProperties instruments;
    private final TopicSettings topics;
    private final AvroSerdes serdes;
    private final StartupSettings startup;

    InstrumentSeeder(
            KafkaClients clients,
            InstrumentProperties instruments,
            TopicSettings topics,
            AvroSerdes serdes,
            StartupSettings startup) {
        this.clients = clients;
        this.instruments = instruments;
        this.topics = topics;
        this.serdes = serdes;
        this.startup = startup;
    }

    /**
     * Seeds the default instruments, unless {@code orders.instruments.seed=false}.
     *
     * @throws IllegalStateException if the broker does not acknowledge them within the start-up timeout
     */
    void seed() {
        if (!instruments.seed()) {
            return;
        }
        String topic = topics.instruments();
        List<Instrument> all = DefaultInstruments.all();
        startup.waiter()
                .run(
                        "the broker to acknowledge " + all.size() + " default instruments on " + topic,
                        () -> send(topic, all));
        log.info("seeded {} instruments into {}", all.size(), topic);
    }

    private void send(String topic, List<Instrument> all) throws Exception {
        try (KafkaProducer<String, Instrument> producer = clients.producer(
                PRODUCER_OVERRIDES,
                new StringSerializer(),
                serdes.valueSerde(Instrument.class).serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Instrument instrument : all) {
                sent.add(producer.send(new ProducerRecord<>(topic, instrument.getSymbol(), instrument)));
            }
            // each bounded by delivery.timeout.ms
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        }
    }
}
