package io.orderpipeline.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The launcher's own settings, read from {@code LOCAL_STACK_*} environment variables so that {@code run-local.sh}
 * needs no arguments. The services' settings are not here: they read the same environment themselves (Spring
 * relaxed binding), except the addresses of the broker and registry and their state directories, which the
 * launcher sets because it owns them.
 *
 * @param root the repository root: service jars are {@code <root>/<module>/target/<module>-<version>-exec.jar}
 * @param home where state and logs live ({@code LOCAL_STACK_HOME}, default {@code <root>/.local-stack})
 * @param kafkaPort the broker's client port ({@code LOCAL_STACK_KAFKA_PORT}, 9092)
 * @param registryPort Apicurio Registry's HTTP port ({@code LOCAL_STACK_REGISTRY_PORT}, 8085)
 * @param authPort the token issuer's (auth-server's) HTTP port ({@code LOCAL_STACK_AUTH_PORT}, 9000); its issuer
 *     identifier is {@code http://127.0.0.1:<authPort>}
 * @param venuePort the venue's (exchange-simulator's) FIX acceptor port ({@code LOCAL_STACK_VENUE_PORT}, 9878)
 * @param venueAdminPort the venue's admin HTTP API port ({@code LOCAL_STACK_VENUE_ADMIN_PORT}, 8086)
 * @param ingestPort ingest-api's HTTP port ({@code LOCAL_STACK_INGEST_PORT}, 8080)
 * @param queryPort query-ws-service's HTTP port ({@code LOCAL_STACK_QUERY_PORT}, 8081)
 * @param processorPort stream-processor's actuator port ({@code LOCAL_STACK_PROCESSOR_PORT}, 8082)
 * @param serviceJvmOptions JVM options of each service ({@code LOCAL_STACK_SERVICE_JVM_OPTS})
 * @param extraPort the first port for instances beyond the first of each service ({@code LOCAL_STACK_EXTRA_PORT},
 *     8083); they take consecutive ports from there, skipping the ports above and the well-known ones of the
 *     registry, venue, issuer and Kafka (see {@link InstancePlan})
 * @param startTimeout how long the services may take to report healthy ({@code LOCAL_STACK_START_TIMEOUT}, seconds)
 * @param restartPolicy when a service that exited after start-up is started again ({@code LOCAL_STACK_RESTART_LIMIT},
 *     5 exits, within {@code LOCAL_STACK_RESTART_WINDOW}, 300 seconds)
 * @param version the project version, part of the jar names
 */
record StackSettings(
        Path root,
        Path home,
        int kafkaPort,
        int registryPort,
        int authPort,
        int venuePort,
        int venueAdminPort,
        int ingestPort,
        int queryPort,
        int processorPort,
        int extraPort,
        List<String> serviceJvmOptions,
        Duration startTimeout,
        RestartPolicy restartPolicy,
        String version) {

    static final String DEFAULT_SERVICE_JVM_OPTS = "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

    static StackSettings from(Map<String, String> env, Path root, String version) {
        Path home = Path.of(env.getOrDefault(
                "LOCAL_STACK_HOME", root.resolve(".local-stack").toString()));
        return new StackSettings(
                root.toAbsolutePath().normalize(),
                root.resolve(home).toAbsolutePath().normalize(),
                port(env, "LOCAL_STACK_KAFKA_PORT", 9092),
                port(env, "LOCAL_STACK_REGISTRY_PORT", 8085),
                port(env, "LOCAL_STACK_AUTH_PORT", 9000),
                port(env, "LOCAL_STACK_VENUE_PORT", 9878),
                port(env, "LOCAL_STACK_VENUE_ADMIN_PORT", 8086),
                port(env, "LOCAL_STACK_INGEST_PORT", 8080),
                port(env, "LOCAL_STACK_QUERY_PORT", 8081),
                port(env, "LOCAL_STACK_PROCESSOR_PORT", 8082),
                port(env, "LOCAL_STACK_EXTRA_PORT", 8083),
                Arrays.stream(env.getOrDefault("LOCAL_STACK_SERVICE_JVM_OPTS", DEFAULT_SERVICE_JVM_OPTS)
                                .trim()
                                .split("\\s+"))
                        .filter(option -> !option.isEmpty())
                        .toList(),
                Duration.ofSeconds(number(env, "LOCAL_STACK_START_TIMEOUT", 300)),
                new RestartPolicy(
                        positive(env, "LOCAL_STACK_RESTART_LIMIT", 5),
                        Duration.ofSeconds(positive(env, "LOCAL_STACK_RESTART_WINDOW", 300)),
                        RestartPolicy.FIRST_DELAY,
                        RestartPolicy.MAX_DELAY),
                version);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort + "/apis/registry/v2";
    }

    /** The issuer identifier of the embedded auth-server: the {@code iss} of its tokens, base of its discovery. */
    String issuerUri() {
        return "http://127.0.0.1:" + authPort;
    }

    /** The venue's admin API, e.g. {@code <venueAdminUrl>/admin/faults}. */
    String venueAdminUrl() {
        return "http://127.0.0.1:" + venueAdminPort;
    }

    Path logs() {
        return home.resolve("logs");
    }

    Path jar(String module) {
        return root.resolve(module).resolve("target").resolve(module + "-" + version + "-exec.jar");
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        int port = number(env, name, fallback);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a TCP port, not " + port);
        }
        return port;
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        int value = number(env, name, fallback);
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
        return value;
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
    }
}
