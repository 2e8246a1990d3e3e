package io.orderpipeline.processor.config;

import io.orderpipeline.fixgateway.VenueSettings;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ExchangeLedger;
import io.orderpipeline.processor.placement.SimulatedExchange;
import io.orderpipeline.processor.topology.OrderTopology;
import io.orderpipeline.processor.topology.StreamsDefaults;
import io.orderpipeline.processor.topology.TopologySettings;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.TopicNames;
import io.orderpipeline.shared.TopicSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * Spring wiring of the stream-processor: turns properties into {@link TopologySettings}, builds {@link OrderTopology}
 * on Spring Kafka's {@code StreamsBuilderFactoryBean} (which starts and stops the {@code KafkaStreams} with the
 * context), chooses the exchange ({@code orders.exchange.kind}: the venue over FIX, see {@code processor.venue}, or the
 * in-process simulator), declares every topic the processor reads or writes, so it can start before the other services, and hands
 * the Streams client its failure handling ({@link StreamsFailurePolicy}). The shared settings ({@code orders.topics.*},
 * {@code orders.registry.*}, {@code orders.startup.*}), the {@link AvroSerdes} and the Kafka client factory come from
 * the {@code shared} module's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties({
    ProcessorProperties.class,
    ExchangeProperties.class,
    PlacementProperties.class,
    ValidationProperties.class,
    AccountProperties.class,
    InstrumentProperties.class
})
class ProcessorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProcessorConfiguration.class);

    static final String DEFAULT_APPLICATION_ID = "order-processor";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "orders.exchange.kind", havingValue = "simulated")
    ExchangeLedger exchangeLedger(ExchangeProperties exchange) {
        return exchange.ledgerFile().isBlank()
                ? ExchangeLedger.inMemory()
                : ExchangeLedger.journaled(Path.of(exchange.ledgerFile()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "orders.exchange.kind", havingValue = "simulated")
    SimulatedExchange simulatedExchange(ExchangeProperties exchange, Clock clock, ExchangeLedger ledger) {
        log.info("simulated exchange: {}", exchange.settings());
        return new SimulatedExchange(exchange.settings(), clock, ledger);
    }

    /**
     * This instance's FIX session ({@code orders.exchange.kind=fix}, the default; {@code processor.venue} runs it):
     * SenderCompID and store directory derived from the instance's stable name and the Streams state directory unless
     * set.
     */
    @Bean
    @ConditionalOnProperty(name = "orders.exchange.kind", havingValue = "fix", matchIfMissing = true)
    VenueSettings venueSettings(
            ExchangeProperties exchange,
            ProcessorProperties processor,
            KafkaProperties kafka,
            @Value("${server.port:#{null}}") Integer serverPort) {
        String senderCompId = !exchange.senderCompId().isBlank()
                ? exchange.senderCompId()
                : StaticMembership.instanceName(processor.instanceId(), serverPort, StaticMembership::hostName)
                        .map(name -> "PIPELINE-" + name)
                        .orElse("PIPELINE");
        String stateDir = kafka.getStreams().getStateDir() != null
                ? kafka.getStreams().getStateDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString();
        Path store = !exchange.fixStoreDir().isBlank()
                ? Path.of(exchange.fixStoreDir())
                : Path.of(stateDir, "fix", senderCompId);
        VenueSettings settings = new VenueSettings(
                exchange.venueHost(),
                exchange.venuePort(),
                senderCompId,
                exchange.targetCompId(),
                store,
                exchange.reconnectInterval(),
                exchange.heartbeatInterval());
        log.info("venue over FIX: {} at {}:{}", settings.sessionName(), settings.host(), settings.port());
        return settings;
    }

    @Bean
    TopologySettings topologySettings(
            TopicSettings topics,
            ProcessorProperties processor,
            PlacementProperties placement,
            ValidationProperties validation,
            AccountProperties accounts) {
        return new TopologySettings(
                topics.names(),
                placement.retryPolicy(),
                placement.timeout(),
                placement.schedulerInterval(),
                placement.maxDuePerRun(),
                validation.rules(),
                accounts.accountLimits(),
                processor.stateStores());
    }

    /**
     * Replaces Spring Boot's default: the topology's guarantees first, then everything Spring Boot's Kafka properties
     * say for Streams ({@code spring.kafka.*} including security settings, and {@code spring.kafka.streams.*}), which
     * wins. The one path by which the Streams client is configured.
     */
    @Bean(KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration defaultKafkaStreamsConfig(
            KafkaProperties kafka,
            ProcessorProperties processor,
            TopicSettings topics,
            @Value("${server.port:#{null}}") Integer serverPort) {
        Map<String, Object> config =
                new HashMap<>(StreamsDefaults.config(topics.deadLetterQueue(), topics.replicationFactor()));
        config.putAll(kafka.buildStreamsProperties());
        config.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        String staticMember = StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (!config.containsKey(staticMember)) {
            StaticMembership.groupInstanceId(
                            (String) config.get(StreamsConfig.APPLICATION_ID_CONFIG),
                            processor.instanceId(),
                            serverPort,
                            StaticMembership::hostName)
                    .ifPresent(id -> config.put(staticMember, id));
        }
        return new KafkaStreamsConfiguration(config);
    }

    /**
     * Exits the JVM with {@code exitCode} after closing the context, so that a supervisor (the local-stack launcher,
     * compose {@code restart:}, Kubernetes) starts a fresh instance.
     */
    @Bean
    ServiceTerminator serviceTerminator(ConfigurableApplicationContext context) {
        return (exitCode, reason) -> System.exit(SpringApplication.exit(context, () -> exitCode));
    }

    @Bean
    StreamsFailurePolicy streamsFailurePolicy(ServiceTerminator terminator) {
        return new StreamsFailurePolicy(terminator);
    }

    @Bean
    StreamsBuilderFactoryBeanConfigurer orderPipelineStreamsConfigurer(StreamsFailurePolicy policy) {
        return factoryBean -> {
            factoryBean.setStreamsUncaughtExceptionHandler(policy);
            factoryBean.setStateListener(policy);
            // A static member stays in the group on close unless told otherwise; a graceful stop hands over at once.
            factoryBean.setLeaveGroupOnClose(true);
        };
    }

    /** Adds the order pipeline to Spring Kafka's builder; the factory bean builds and runs it. */
    @Bean
    OrderPipeline orderPipeline(
            StreamsBuilder builder,
            TopologySettings settings,
            AvroSerdes serdes,
            ExchangeGateway exchange,
            Clock clock) {
        OrderTopology.build(builder, settings, serdes, exchange, clock);
        return new OrderPipeline(settings);
    }

    /** Marker bean: the topology was added to the {@code StreamsBuilder}. */
    record OrderPipeline(TopologySettings settings) {}

    /** Every topic the processor reads or writes, created (when missing) by {@link CoPartitioningCheck}. */
    record PipelineTopics(List<NewTopic> topics) {}

    @Bean
    PipelineTopics orderPipelineTopics(
            TopicSettings topics, ProcessorProperties processor, PlacementProperties placement) {
        TopicNames names = topics.names();
        List<NewTopic> all = new ArrayList<>();
        for (String name : List.of(
                names.commands(), names.executions(), names.deadLetter(), names.events(), topics.deadLetterQueue())) {
            all.add(topics.topic(name));
        }
        for (int tier = 0; tier < placement.tiers(); tier++) {
            all.add(topics.topic(names.retry(tier)));
        }
        for (String compacted : List.of(names.state(), names.instruments())) {
            all.add(topics.compacted(compacted));
        }
        return new PipelineTopics(List.copyOf(all));
    }
}
