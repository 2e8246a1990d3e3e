package io.orderpipeline.localstack;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.ingest.IngestApiApplication;
import io.orderpipeline.processor.StreamProcessorApplication;
import io.orderpipeline.query.QueryWsApplication;
import io.orderpipeline.venue.EmbeddedVenue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three services as they ship (their own configuration files, default topics), in this JVM, on random ports,
 * pointed at one broker and one registry, with the token issuer as {@code ./run-local.sh} has it: the real auth-server
 * ({@link EmbeddedIssuer}, its demo identities) on a free port, which ingest-api and query-ws-service trust
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}), and the venue as {@code ./run-local.sh} has it: the
 * real exchange-simulator ({@link EmbeddedVenue}, its default market fill model) on free ports, which the processor
 * reaches over FIX. Settings are passed as command-line arguments
 * because those rank above the services' configuration files (builder default properties rank below them).
 */
final class PipelineApps implements AutoCloseable {

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private EmbeddedIssuer issuer;
    private EmbeddedVenue venue;
    private Tokens tokens;
    private final String ingestUrl;
    private final String queryUrl;
    private final String processorUrl;

    private PipelineApps(String bootstrapServers, String registryUrl, Path stateDir, List<String> kafkaSettings) {
        try {
            issuer = EmbeddedIssuer.start();
            tokens = new Tokens(issuer.baseUrl());
            venue = EmbeddedVenue.start("orders.venue.data-dir=" + stateDir.resolve("exchange-simulator"));
            List<String> common = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                    "--orders.registry.url=" + registryUrl,
                    "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.issuerUri()));
            kafkaSettings.forEach(setting -> common.add("--" + setting));
            // The write side first, so that it creates the topics and seeds the instruments while the others start.
            ConfigurableApplicationContext processor = start(
                    StreamProcessorApplication.class,
                    StreamProcessorApplication.CONFIG_NAME,
                    common,
                    "--spring.kafka.streams.state-dir=" + stateDir.resolve("stream-processor"),
                    "--orders.exchange.venue-port=" + venue.fixPort(),
                    "--orders.exchange.sender-comp-id=PIPELINE-1",
                    "--orders.exchange.fix-store-dir=" + stateDir.resolve("stream-processor-fix"));
            ConfigurableApplicationContext ingest =
                    start(IngestApiApplication.class, IngestApiApplication.CONFIG_NAME, common);
            ConfigurableApplicationContext query = start(
                    QueryWsApplication.class,
                    QueryWsApplication.CONFIG_NAME,
                    common,
                    "--orders.query.state-dir=" + stateDir.resolve("query-ws-service"),
                    "--orders.ui.ingest-url=" + url(ingest));
            this.ingestUrl = url(ingest);
            this.queryUrl = url(query);
            this.processorUrl = url(processor);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts the three services.
     *
     * @param kafkaSettings further {@code spring.kafka.*} settings ({@code key=value}) given to every service
     */
    static PipelineApps start(String bootstrapServers, String registryUrl, Path stateDir, List<String> kafkaSettings) {
        return new PipelineApps(bootstrapServers, registryUrl, stateDir, kafkaSettings);
    }

    /** Tokens of the demo clients from the issuer the services trust. */
    Tokens tokens() {
        return tokens;
    }

    /** The venue the processor places at (its admin operations: faults, prices, book). */
    EmbeddedVenue venue() {
        return venue;
    }

    /** {@code http://127.0.0.1:<port>} of ingest-api. */
    String ingestUrl() {
        return ingestUrl;
    }

    /** {@code http://127.0.0.1:<port>} of query-ws-service. */
    String queryUrl() {
        return queryUrl;
    }

    /** {@code http://127.0.0.1:<port>} of stream-processor (Actuator only). */
    String processorUrl() {
        return processorUrl;
    }

    private ConfigurableApplicationContext start(
            Class<?> application, String configName, List<String> common, String... extra) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .properties("spring.config.name=" + configName)
                .run(args.toArray(String[]::new));
        contexts.add(context);
        return context;
    }

    private static String url(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:"
                + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Stops the services in reverse order, while the broker is still up, then the venue and the issuer. */
    @Override
    public void close() {
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
        contexts.clear();
        if (venue != null) {
            venue.close();
            venue = null;
        }
        if (issuer != null) {
            issuer.close();
            issuer = null;
        }
    }
}
