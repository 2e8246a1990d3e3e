package io.orderpipeline.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which service instances the launcher starts, and each one's name, port, state directory, log file, health probe and
 * the environment the launcher owns: the token issuer (auth-server, first), the venue (exchange-simulator), one
 * ingest-api, {@code processors} stream-processors and {@code queryInstances} query-ws-services. Pure: it starts
 * nothing.
 *
 * <p>The issuer names itself {@code http://127.0.0.1:<LOCAL_STACK_AUTH_PORT>} and keeps its signing key in {@code
 * .local-stack/auth-server/signing-key.pem} (created on the first start, wiped by {@code --reset}), so that a restart
 * of the issuer, supervised like any service, does not invalidate the tokens clients hold. ingest-api and
 * query-ws-service, the resource servers, trust that issuer ({@value #ISSUER_URI}), unless the user's environment
 * names another one: pointing them at Keycloak or Auth0 is that one variable (and, for the embedded issuer, its demo
 * identities then mean nothing to the services).
 *
 * <p>The first instance of each service keeps the plain name ({@code stream-processor}), its port setting and its
 * directory ({@code .local-stack/stream-processor/}), so that a one-instance stack is laid out as it always was; the
 * second is {@code stream-processor-2} in {@code .local-stack/stream-processor-2/} with {@code logs/stream-processor-2.log},
 * and so on. Instances beyond the first take consecutive ports from {@link StackSettings#extraPort()} (query instances
 * first, then processors), skipping the stack's own ports and {@link #WELL_KNOWN}.
 *
 * <p>All instances of a service share its application id (the services' default), so Kafka spreads the partitions
 * over them. A query instance's {@code application.server} is {@code orders.query.advertised-host} (127.0.0.1) and
 * the port it bound, so each advertises its own address.
 *
 * <p>Every processor holds its own FIX session to the one venue, as {@code PIPELINE-<n>} ({@code n} = the instance's
 * number, stable across restarts, so a restarted instance resumes its session's sequence numbers from {@code
 * .local-stack/stream-processor-<n>/fix/} and the venue resends what it missed). The venue keeps its book and its
 * sessions' messages in {@code .local-stack/exchange-simulator/}, so it outlives its own restart like a real venue;
 * being one process shared by every processor, it is what makes "placed at most once per ClOrdID" hold across them.
 */
final class InstancePlan {

    /** Ports that belong to the registry (8085), the venue (8086), the token issuer (9000) and Kafka (9092, 9878). */
    static final Set<Integer> WELL_KNOWN = Set.of(8085, 8086, 9000, 9092, 9878);

    static final String AUTH = "auth-server";
    static final String VENUE = "exchange-simulator";
    static final String INGEST = "ingest-api";
    static final String PROCESSOR = "stream-processor";
    static final String QUERY = "query-ws-service";

    /** Spring Boot's health endpoint: the services are ready when it says UP (Kafka Streams RUNNING included). */
    static final String ACTUATOR_HEALTH = "/actuator/health";

    /**
     * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} of the resource servers: the {@code iss} they accept
     * and, through its discovery document, where they find the JWKS (fetched on the first token, not at start-up).
     */
    static final String ISSUER_URI = "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI";

    /** The issuer is ready when it publishes its discovery document. */
    static final String DISCOVERY = "/.well-known/openid-configuration";

    private InstancePlan() {}

    /**
     * @param env the launcher's environment (a user's {@code ORDERS_EXCHANGE_LEDGERFILE} names the first processor's
     *     ledger; further processors get the same path with {@code -2}, {@code -3} … appended)
     */
    static List<ServiceInstance> plan(
            StackSettings settings, int processors, int queryInstances, Map<String, String> env) {
        if (processors < 1 || queryInstances < 1) {
            throw new IllegalArgumentException("at least one stream-processor and one query-ws-service instance");
        }
        Path home = settings.home();
        List<Integer> extraPorts = extraPorts(settings, processors - 1 + queryInstances - 1);

        // The launcher owns the broker, the registry, the ports and the state directories, so these win over
        // inherited values; everything else reaches the services from the inherited environment.
        Map<String, String> common = new LinkedHashMap<>();
        common.put("SPRING_KAFKA_BOOTSTRAPSERVERS", settings.bootstrapServers());
        common.put("ORDERS_REGISTRY_URL", settings.registryUrl());

        List<ServiceInstance> instances = new ArrayList<>();
        Map<String, String> auth = new LinkedHashMap<>();
        // orders.auth.issuer, orders.auth.signing-key.location (see auth-server's AuthSettings)
        auth.put("ORDERS_AUTH_ISSUER", settings.issuerUri());
        auth.put(
                "ORDERS_AUTH_SIGNINGKEY_LOCATION",
                home.resolve(AUTH).resolve("signing-key.pem").toString());
        instances.add(instance(AUTH, AUTH, settings.authPort(), auth, DISCOVERY, settings));
        Map<String, String> venue = new LinkedHashMap<>();
        // orders.venue.fix-port, orders.venue.data-dir (see exchange-simulator's settings); the admin API is its
        // server.port, which the launcher passes to every instance
        venue.put("ORDERS_VENUE_FIXPORT", Integer.toString(settings.venuePort()));
        venue.put("ORDERS_VENUE_DATADIR", home.resolve(VENUE).resolve("data").toString());
        // Reports of an order whose session is down (its processor crashed and is being restarted) go to another
        // processor's session, which writes them to orders.executions for the task that owns the order, instead of
        // waiting in the venue's store until the crashed processor is back (orders.venue.report-failover).
        venue.put("ORDERS_VENUE_REPORTFAILOVER", "true");
        instances.add(instance(VENUE, VENUE, settings.venueAdminPort(), venue, ACTUATOR_HEALTH, settings));
        Map<String, String> ingest = new LinkedHashMap<>(common);
        ingest.putAll(resourceServer(settings, env));
        instances.add(instance(INGEST, INGEST, settings.ingestPort(), ingest, ACTUATOR_HEALTH, settings));

        int nextExtra = queryInstances - 1;
        for (int i = 1; i <= processors; i++) {
            String name = name(PROCESSOR, i);
            Map<String, String> environment = new LinkedHashMap<>(common);
            // spring.kafka.streams.state-dir (Boot's Kafka Streams auto-configuration)
            environment.put(
                    "SPRING_KAFKA_STREAMS_STATEDIR",
                    home.resolve(name).resolve("state").toString());
            // orders.exchange.*: the venue's FIX acceptor, this instance's session and its message store
            environment.put("ORDERS_EXCHANGE_VENUEHOST", "127.0.0.1");
            environment.put("ORDERS_EXCHANGE_VENUEPORT", Integer.toString(settings.venuePort()));
            environment.put("ORDERS_EXCHANGE_SENDERCOMPID", "PIPELINE-" + i);
            environment.put(
                    "ORDERS_EXCHANGE_FIXSTOREDIR",
                    home.resolve(name).resolve("fix").toString());
            // With ORDERS_EXCHANGE_KIND=simulated the in-process simulator journals what it placed, so a restart
            // never places an order twice; like Kafka's data it lives as long as .local-stack/ does.
            String ledger = env.get("ORDERS_EXCHANGE_LEDGERFILE");
            environment.put(
                    "ORDERS_EXCHANGE_LEDGERFILE",
                    ledger == null || ledger.isBlank()
                            ? home.resolve(name).resolve("exchange-ledger").toString()
                            : (i == 1 ? ledger : ledger + "-" + i));
            int port = i == 1 ? settings.processorPort() : extraPorts.get(nextExtra++);
            instances.add(instance(name, PROCESSOR, port, environment, ACTUATOR_HEALTH, settings));
        }

        for (int i = 1; i <= queryInstances; i++) {
            String name = name(QUERY, i);
            Map<String, String> environment = new LinkedHashMap<>(common);
            environment.putAll(resourceServer(settings, env));
            // orders.query.state-dir (its own Streams instance); orders.ui.ingest-url (the live page's submit proxy)
            environment.put(
                    "ORDERS_QUERY_STATEDIR", home.resolve(name).resolve("state").toString());
            environment.put("ORDERS_UI_INGESTURL", "http://127.0.0.1:" + settings.ingestPort());
            // orders.ui.venue-url: the operator view's venue panel
            environment.put("ORDERS_UI_VENUEURL", settings.venueAdminUrl());
            int port = i == 1 ? settings.queryPort() : extraPorts.get(i - 2);
            instances.add(instance(name, QUERY, port, environment, ACTUATOR_HEALTH, settings));
        }
        return List.copyOf(instances);
    }

    /**
     * The issuer the resource servers trust: the embedded one, unless {@code env} already names one (the services
     * inherit the launcher's environment, so the user's value reaches them as it is).
     */
    static Map<String, String> resourceServer(StackSettings settings, Map<String, String> env) {
        String inherited = env.get(ISSUER_URI);
        return inherited == null || inherited.isBlank() ? Map.of(ISSUER_URI, settings.issuerUri()) : Map.of();
    }

    static String name(String module, int instance) {
        return instance == 1 ? module : module + "-" + instance;
    }

    private static ServiceInstance instance(
            String name,
            String module,
            int port,
            Map<String, String> environment,
            String healthPath,
            StackSettings settings) {
        return new ServiceInstance(
                name,
                module,
                port,
                Map.copyOf(environment),
                healthPath,
                settings.home().resolve(name),
                settings.logs().resolve(name + ".log"));
    }

    private static List<Integer> extraPorts(StackSettings settings, int count) {
        Set<Integer> taken = new LinkedHashSet<>(WELL_KNOWN);
        taken.addAll(List.of(
                settings.kafkaPort(),
                settings.registryPort(),
                settings.authPort(),
                settings.venuePort(),
                settings.venueAdminPort(),
                settings.ingestPort(),
                settings.queryPort(),
                settings.processorPort()));
        List<Integer> ports = new ArrayList<>();
        for (int port = settings.extraPort(); ports.size() < count; port++) {
            if (port > 65535) {
                throw new IllegalArgumentException("not enough ports from LOCAL_STACK_EXTRA_PORT="
                        + settings.extraPort() + " for " + count + " more instances");
            }
            if (!taken.contains(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    /**
     * One service instance to start and supervise.
     *
     * @param name its name in the table, the log file and the state directory ({@code stream-processor-2})
     * @param module the Maven module whose exec jar it runs
     * @param port its HTTP port ({@code --server.port})
     * @param environment what the launcher sets on top of the inherited environment
     * @param healthPath what says it is ready: {@link #ACTUATOR_HEALTH} (UP, Streams RUNNING) or {@link #DISCOVERY}
     *     (200)
     * @param workDir its working and state directory
     * @param logFile its console, appended to across restarts
     */
    record ServiceInstance(
            String name,
            String module,
            int port,
            Map<String, String> environment,
            String healthPath,
            Path workDir,
            Path logFile) {}
}
