package io.orderpipeline.query.support;

import io.orderpipeline.query.QueryWsApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One running query-ws-service in this JVM, on a random port, against the shared {@link TestStack}, trusting the shared
 * {@link TestIssuer}.
 */
public final class QueryInstance implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ConfigurableApplicationContext context;

    private QueryInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * @param stateTopic the test's own state topic
     * @param applicationId the test's own Streams application id (instances of one test share it)
     * @param stateDir this instance's own state directory (reuse it to restart with state)
     * @param extra further properties
     */
    public static QueryInstance start(
            String stateTopic, String applicationId, Path stateDir, Map<String, String> extra) {
        return start(stateTopic, applicationId, stateDir, extra, context -> {});
    }

    /**
     * As {@link #start(String, String, Path, Map)}, with an initializer that may register beans before the context
     * refreshes (e.g. {@link Faults#initializer()}).
     */
    public static QueryInstance start(
            String stateTopic,
            String applicationId,
            Path stateDir,
            Map<String, String> extra,
            ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.config.name", QueryWsApplication.CONFIG_NAME);
        properties.put("server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", TestStack.bootstrapServers());
        properties.put("orders.registry.url", TestStack.registryUrl());
        properties.put("orders.topics.state", stateTopic);
        properties.put("orders.query.application-id", applicationId);
        properties.put("orders.query.state-dir", stateDir.toString());
        properties.put("orders.query.rocksdb-memory", "16MB");
        properties.put("orders.query.streams.consumer.session.timeout.ms", "6000");
        properties.put("orders.query.streams.consumer.heartbeat.interval.ms", "500");
        properties.put("management.prometheus.metrics.export.enabled", "true");
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer.issuerUri());
        properties.putAll(extra);
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(QueryWsApplication.class)
                .initializers(initializer)
                .run(args.toArray(String[]::new));
        return new QueryInstance(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    /** {@code GET} as the operator ({@code ops}, who sees every account). */
    public HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, TestIssuer.ops());
    }

    /** {@code GET} with {@code token} as bearer token; {@code null} sends none. */
    public HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isRunning() {
        return context.isRunning();
    }

    @Override
    public void close() {
        context.close();
    }
}
