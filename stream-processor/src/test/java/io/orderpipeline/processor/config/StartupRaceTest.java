package io.orderpipeline.processor.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.support.TestBroker;
import io.orderpipeline.processor.support.TestRegistry;
import io.orderpipeline.processor.support.TopicReader;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.StartupSettings;
import io.orderpipeline.shared.TopicProvisioner;
import io.orderpipeline.shared.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The processor's start-up path (topic creation, co-partitioning check, instrument seeding) against the real in-JVM
 * broker, in a tight loop on topics that do not exist yet: each round creates its topics and uses them at once, the
 * window in which a broker may not know a topic it has just created ({@code UnknownTopicOrPartitionException}).
 */
class StartupRaceTest {

    private static final int ROUNDS = 10;

    @Test
    void shouldCreateCheckAndSeedFreshTopicsEveryTime() throws Exception {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(TestBroker.bootstrapServers().split(",")));
        KafkaClients clients = new KafkaClients(kafka);
        StartupSettings startup =
                bind("orders.startup", StartupSettings.class, Map.of("orders.startup.timeout", "60s"));
        AvroSerdes serdes = AvroSerdes.registry(TestRegistry.url());

        for (int round = 0; round < ROUNDS; round++) {
            // given a broker without any of this round's topics
            String prefix = "race-" + round + "-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> names = Map.of(
                    "orders.topics.commands", prefix + ".orders.commands",
                    "orders.topics.retry-prefix", prefix + ".orders.place.retry",
                    "orders.topics.dead-letter", prefix + ".orders.place.dlt",
                    "orders.topics.events", prefix + ".orders.events",
                    "orders.topics.state", prefix + ".orders.state",
                    "orders.topics.instruments", prefix + ".instruments",
                    "orders.topics.dead-letter-queue", prefix + ".orders.dlq");
            TopicSettings topics = bind("orders.topics", TopicSettings.class, names);
            ProcessorProperties processor = bind("orders.processor", ProcessorProperties.class, names);
            PlacementProperties placement = bind("orders.placement", PlacementProperties.class, names);
            ProcessorConfiguration.PipelineTopics declared =
                    new ProcessorConfiguration().orderPipelineTopics(topics, processor, placement);
            TopicProvisioner provisioner = new TopicProvisioner(clients, startup.waiter());

            // when the start-up steps run straight after each other, as ProcessorStartup runs them
            new CoPartitioningCheck(provisioner, declared, topics, placement).run();
            new InstrumentSeeder(clients, new InstrumentProperties(true), topics, serdes, startup).seed();

            // then every topic exists with its partitions, and the instruments are on their topic
            try (Admin admin = clients.admin(Map.of())) {
                List<String> all = declared.topics().stream().map(t -> t.name()).toList();
                Map<String, TopicDescription> described = provisioner.describe(admin, all);
                assertThat(described.keySet()).as("round %d", round).containsExactlyInAnyOrderElementsOf(all);
                assertThat(described.values())
                        .allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
            }
            try (TopicReader<Instrument> reader = new TopicReader<>(
                    TestBroker.bootstrapServers(),
                    topics.instruments(),
                    serdes.valueSerde(Instrument.class).deserializer())) {
                List<ConsumerRecord<String, Instrument>> seeded =
                        reader.await(Duration.ofSeconds(30), r -> r.size() >= 5);
                assertThat(seeded.stream().map(ConsumerRecord::key).collect(Collectors.toSet()))
                        .containsExactlyInAnyOrder("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA");
            }
        }
    }

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, type);
    }
}
