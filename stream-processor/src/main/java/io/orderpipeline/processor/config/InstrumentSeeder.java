package io.orderpipeline.processor.config;

import io.orderpipeline.processor.instrument.DefaultInstruments;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.TopicNames;
import io.orderpipeline.schemas.avro.Instrument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Writes the default instruments to the compacted {@code instruments} topic at start-up, and waits for the broker's
 * acknowledgement <em>before</em> the Kafka Streams instance starts (an earlier lifecycle phase): the GlobalKTable is
 * bootstrapped to the end of the topic before any order is processed, so the first order already sees them.
 */
@Component
class InstrumentSeeder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InstrumentSeeder.class);

    private final KafkaProperties kafka;
    private final InstrumentProperties instruments;
    private final TopicProperties topics;
    private final AvroSerdes serdes;
    private volatile boolean running;

    InstrumentSeeder(
            KafkaProperties kafka, InstrumentProperties instruments, TopicProperties topics, AvroSerdes serdes) {
        this.kafka = kafka;
        this.instruments = instruments;
        this.topics = topics;
        this.serdes = serdes;
    }

    @Override
    public void start() {
        running = true;
        if (!instruments.seed()) {
            return;
        }
        TopicNames names = topics.names();
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, instruments.seedTimeout().toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "stream-processor-instrument-seeder");
        try (KafkaProducer<String, Instrument> producer = new KafkaProducer<>(
                config,
                new StringSerializer(),
                serdes.valueSerde(Instrument.class).serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Instrument instrument : DefaultInstruments.all()) {
                sent.add(producer.send(new ProducerRecord<>(names.instruments(), instrument.getSymbol(), instrument)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(instruments.seedTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("seeded {} instruments into {}", sent.size(), names.instruments());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not seed instruments into " + names.instruments(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding instruments", e);
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before {@link StreamsBuilderFactoryBean}'s phase. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
