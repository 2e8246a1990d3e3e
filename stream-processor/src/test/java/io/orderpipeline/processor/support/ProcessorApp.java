package io.orderpipeline.processor.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.StreamProcessorApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Starts the packaged {@link StreamProcessorApplication} on the test broker and registry, on topics and an application
 * id of its own ({@code <prefix>.orders.commands}, ...), configured the way a user does it: through environment
 * variables. The exchange is the in-process simulator unless the test's environment says {@code ORDERS_EXCHANGE_KIND=fix}.
 */
public final class ProcessorApp {

    private static final List<String> SHARED_TOPICS =
            List.of("commands", "retry-prefix", "dead-letter", "events", "state", "instruments", "executions");

    private ProcessorApp() {}

    /**
     * @param env "environment variables" such as {@code ORDERS_EXCHANGE_FAILURERATE}; they win over the defaults
     * @param extraSources more configuration, e.g. a test's injected failure (classes with {@code @Bean} methods, not
     *     annotated, so that component scanning never picks them up)
     */
    public static ConfigurableApplicationContext start(String prefix, Map<String, Object> env, Class<?>... extraSources)
            throws IOException {
        Path stateDir = Files.createTempDirectory("stream-processor-app-test");
        StandardEnvironment environment = new StandardEnvironment();
        // Spring Boot maps ORDERS_EXCHANGE_FAILURERATE-style names only in sources named like the real environment.
        String envName = "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(envName, env));
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", TestBroker.bootstrapServers());
        properties.put("spring.kafka.streams.application-id", prefix + "-processor");
        properties.put("spring.kafka.streams.state-dir", stateDir.toString());
        properties.put("orders.registry.url", TestRegistry.url());
        for (String topic : SHARED_TOPICS) {
            properties.put("orders.topics." + topic, prefix + "." + defaultName(topic));
        }
        properties.put("orders.topics.dead-letter-queue", prefix + ".orders.dlq");
        // The in-process exchange unless a test asks for the venue (ORDERS_EXCHANGE_KIND=fix and its address).
        properties.put("orders.exchange.kind", "simulated");
        // Above the config file (builder properties would rank below it), below the "environment variables".
        environment.getPropertySources().addAfter(envName, new MapPropertySource("test-properties", properties));
        return new SpringApplicationBuilder(StreamProcessorApplication.class)
                .sources(extraSources)
                .environment(environment)
                .properties("spring.config.name=" + StreamProcessorApplication.CONFIG_NAME)
                .run();
    }

    /**
     * The "environment variables" of a processor placing at the real venue over FIX: its acceptor's port, a session of
     * its own ({@code senderCompId}) and a fresh message store; {@code more} are further {@code KEY, value} pairs.
     */
    public static Map<String, Object> atVenue(int fixPort, String senderCompId, String... more) throws IOException {
        Map<String, Object> env = new HashMap<>();
        env.put("ORDERS_EXCHANGE_KIND", "fix");
        env.put("ORDERS_EXCHANGE_VENUEPORT", Integer.toString(fixPort));
        env.put("ORDERS_EXCHANGE_SENDERCOMPID", senderCompId);
        env.put(
                "ORDERS_EXCHANGE_FIXSTOREDIR",
                Files.createTempDirectory("fix-store").toString());
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static String defaultName(String topic) {
        return switch (topic) {
            case "commands" -> "orders.commands";
            case "retry-prefix" -> "orders.place.retry";
            case "dead-letter" -> "orders.place.dlt";
            case "events" -> "orders.events";
            case "state" -> "orders.state";
            case "executions" -> "orders.executions";
            default -> "instruments";
        };
    }

    /** GETs {@code path} from the application's web server and requires {@code 200}. */
    public static String get(ConfigurableApplicationContext app, String path) throws Exception {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
