package io.orderpipeline.ingest.support;

import io.orderpipeline.ingest.IngestApiApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One ingest-api instance started the way {@code main} starts it, on a random port, for tests that need several
 * instances or restarts in one JVM.
 */
public final class IngestInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private IngestInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * @param properties further {@code key=value} settings
     */
    public static IngestInstance start(String bootstrapServers, String registryUrl, String... properties) {
        IngestInstance instance = startNotReady(bootstrapServers, registryUrl, properties);
        instance.http().awaitReady();
        return instance;
    }

    /** As {@link #start}, without waiting for readiness: for an instance that starts while Kafka is away. */
    public static IngestInstance startNotReady(String bootstrapServers, String registryUrl, String... properties) {
        // as command-line arguments: they must win over ingest-api.yml, as an operator's settings would
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--orders.registry.url=" + registryUrl,
                "--" + TestIssuer.issuerProperty()));
        for (String property : properties) {
            args.add("--" + property);
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(IngestApiApplication.class)
                .properties("spring.config.name=" + IngestApiApplication.CONFIG_NAME)
                .run(args.toArray(String[]::new));
        return new IngestInstance(context);
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public Http http() {
        return new Http(port());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
