package io.orderpipeline.localstack;

import io.orderpipeline.infra.ApicurioRegistryProcess;
import io.orderpipeline.infra.KafkaBrokerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded default, one command: a real KRaft Kafka broker on 127.0.0.1:9092, Apicurio Registry on
 * 127.0.0.1:8085, then ingest-api (8080), query-ws-service (8081) and stream-processor (8082), each a child JVM
 * with its log under {@code .local-stack/logs/}. Prints where to point a browser and curl once every service reports
 * healthy, and stops everything on Ctrl-C (SIGINT/SIGTERM/SIGHUP): the services first, then the registry, then the
 * broker, so that the services close their Streams and producers against a live broker.
 *
 * <p>State survives a restart: Kafka's log directory, the registry's schemas (H2 database file, so that the schema
 * ids inside records already in Kafka still resolve) and the Streams state directories all live under
 * {@code .local-stack/}; {@code --reset} wipes it first. If a port is taken or a child exits, the launcher stops what
 * it started and exits non-zero with the child's last log lines.
 *
 * <p>Run it with {@code ./run-local.sh}, which builds what is missing and keeps Ctrl-C away from the children (so
 * that the stop order above holds).
 */
public final class LocalStack {

    private static final PrintStream OUT = System.out;

    private final StackSettings settings;
    private final StackHome home;
    private final long launchedAt = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final List<Part> parts = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;

    private LocalStack(StackSettings settings, StackHome home) {
        this.settings = settings;
        this.home = home;
    }

    public static void main(String[] args) {
        boolean reset = false;
        for (String arg : args) {
            switch (arg) {
                case "--reset" -> reset = true;
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("Unknown argument: " + arg);
                    usage();
                    System.exit(2);
                }
            }
        }
        StackSettings settings;
        StackHome home;
        try {
            settings = StackSettings.from(
                    System.getenv(), Path.of(System.getProperty("local-stack.root", ".")), version());
            requireJars(settings);
            home = StackHome.open(settings.home());
        } catch (RuntimeException e) {
            System.err.println("Cannot start the local stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        LocalStack stack = new LocalStack(settings, home);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-shutdown"));
        try {
            home.stopLeftovers(OUT);
            if (reset) {
                home.reset();
                OUT.println("Reset: wiped " + settings.home());
            }
            stack.start();
        } catch (RuntimeException e) {
            if (!stack.isStopping()) {
                System.err.println();
                System.err.println("Start-up failed: " + rootMessage(e));
            }
            System.exit(1);
        }
        stack.awaitStop();
    }

    private void start() {
        requirePortsFree();
        OUT.printf("Starting the order pipeline from %s (state in %s)%n", settings.root(), settings.home());
        ExecutorService starter = Executors.newFixedThreadPool(2, daemon("local-stack-start"));
        try {
            // The registry keeps schemas in its own database, not in Kafka: the two start side by side.
            CompletableFuture<KafkaBrokerProcess> kafka = CompletableFuture.supplyAsync(
                    () -> {
                        KafkaBrokerProcess broker = KafkaBrokerProcess.start(
                                settings.kafkaPort(), home.resolve("kafka"), log("kafka"), Map.of(), List.of());
                        register(new Part("kafka", Kind.INFRA, broker.process().toHandle(), broker::close));
                        ready("kafka", broker.pid(), settings.bootstrapServers());
                        return broker;
                    },
                    starter);
            CompletableFuture<ApicurioRegistryProcess> registry = CompletableFuture.supplyAsync(
                    () -> {
                        ApicurioRegistryProcess process = ApicurioRegistryProcess.start(
                                settings.registryPort(),
                                log("schema-registry"),
                                List.of(
                                        // Persistent H2 instead of the distribution's in-memory default: records
                                        // in Kafka carry schema ids that must still resolve after a restart.
                                        "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:"
                                                + home.resolve("schema-registry")
                                                        .resolve("registry"),
                                        "-Dquarkus.datasource.jdbc.initial-size=1",
                                        "-Dquarkus.datasource.jdbc.min-size=1",
                                        "-Dquarkus.datasource.jdbc.max-size=8"));
                        register(new Part(
                                "schema-registry",
                                Kind.INFRA,
                                ProcessHandle.of(process.pid()).orElseThrow(),
                                process::close));
                        ready("schema-registry", process.pid(), process.baseUrl());
                        return process;
                    },
                    starter);
            CompletableFuture.allOf(kafka, registry).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            starter.shutdown();
        }
        startServices();
        watchChildren();
        printSummary();
    }

    private void startServices() {
        // The launcher owns the broker, the registry, the ports and the state directories, so these win over
        // inherited values; everything else reaches the services from the inherited environment.
        Map<String, String> common = new LinkedHashMap<>();
        common.put("SPRING_KAFKA_BOOTSTRAPSERVERS", settings.bootstrapServers());
        common.put("ORDERS_REGISTRY_URL", settings.registryUrl());

        Map<String, String> ingest = new LinkedHashMap<>(common);

        // spring.kafka.streams.state-dir (Boot's Kafka Streams auto-configuration)
        Map<String, String> processor = new LinkedHashMap<>(common);
        processor.put(
                "SPRING_KAFKA_STREAMS_STATEDIR",
                home.resolve("stream-processor").resolve("state").toString());
        // The simulated exchange journals what it placed, so a restart never places an order twice; like Kafka's
        // data it lives as long as .local-stack/ does (a user's own ORDERS_EXCHANGE_LEDGERFILE wins).
        if (!System.getenv().containsKey("ORDERS_EXCHANGE_LEDGERFILE")) {
            processor.put(
                    "ORDERS_EXCHANGE_LEDGERFILE",
                    home.resolve("stream-processor").resolve("exchange-ledger").toString());
        }

        // orders.query.state-dir (its own Streams instance); orders.ui.ingest-url (the live page's submit proxy)
        Map<String, String> query = new LinkedHashMap<>(common);
        query.put(
                "ORDERS_QUERY_STATEDIR",
                home.resolve("query-ws-service").resolve("state").toString());
        query.put("ORDERS_UI_INGESTURL", "http://127.0.0.1:" + settings.ingestPort());

        List<ServiceProcess> services = new ArrayList<>();
        services.add(service("ingest-api", settings.ingestPort(), ingest));
        services.add(service("stream-processor", settings.processorPort(), processor));
        services.add(service("query-ws-service", settings.queryPort(), query));

        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(services);
        while (!waiting.isEmpty()) {
            requireInfraAlive();
            for (ServiceProcess service : List.copyOf(waiting)) {
                if (service.isHealthy()) {
                    waiting.remove(service);
                    ready(service.name(), service.pid(), service.healthUrl());
                }
            }
            if (System.nanoTime() > deadline && !waiting.isEmpty()) {
                ServiceProcess late = waiting.get(0);
                throw new IllegalStateException(late.name() + " not healthy within " + settings.startTimeout()
                        + " (LOCAL_STACK_START_TIMEOUT); see " + late.logFile() + System.lineSeparator()
                        + late.lastLogLines());
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    private ServiceProcess service(String module, int port, Map<String, String> environment) {
        Path jar = settings.jar(module);
        ServiceProcess service = ServiceProcess.start(
                module, jar, port, settings.serviceJvmOptions(), environment, home.resolve(module), log(module));
        register(new Part(module, Kind.SERVICE, service.process().toHandle(), service::close));
        return service;
    }

    /** Takes a started child into the stop list, or stops it at once if the stack is already stopping. */
    private void register(Part part) {
        synchronized (parts) {
            if (!stopping) {
                parts.add(part);
                return;
            }
        }
        part.stop();
    }

    private void requireInfraAlive() {
        synchronized (parts) {
            for (Part part : parts) {
                if (part.kind() == Kind.INFRA && !part.process().isAlive()) {
                    throw new IllegalStateException(
                            part.name() + " exited while the services were starting; see " + log(part.name()));
                }
            }
        }
    }

    /** After start-up, any child that exits takes the stack down: a half-running pipeline only misleads. */
    private void watchChildren() {
        List<Part> snapshot;
        synchronized (parts) {
            snapshot = List.copyOf(parts);
        }
        for (Part part : snapshot) {
            part.process().onExit().thenRun(() -> {
                synchronized (parts) {
                    if (stopping) {
                        return;
                    }
                }
                System.err.printf(
                        "%n%s (pid %d) exited unexpectedly; stopping the stack. See %s%n",
                        part.name(), part.process().pid(), log(part.name()));
                System.exit(1);
            });
        }
    }

    /** Shutdown hook: services (in parallel), then the registry, then the broker; then any stray child. */
    private void stop() {
        List<Part> snapshot;
        synchronized (parts) {
            stopping = true;
            snapshot = List.copyOf(parts);
        }
        if (!snapshot.isEmpty()) {
            OUT.println();
            OUT.println("Stopping the local stack ...");
        }
        long begin = System.nanoTime();
        List<Thread> stoppers = new ArrayList<>();
        for (Part part : snapshot) {
            if (part.kind() == Kind.SERVICE) {
                Thread stopper = new Thread(() -> stopAndReport(part), "stop-" + part.name());
                stopper.start();
                stoppers.add(stopper);
            }
        }
        stoppers.forEach(LocalStack::join);
        for (String name : List.of("schema-registry", "kafka")) {
            snapshot.stream().filter(part -> part.name().equals(name)).forEach(LocalStack::stopAndReport);
        }
        // Children whose start was still under way when the signal came (not yet in the list).
        ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .forEach(child -> StackHome.stop(child, Duration.ofSeconds(20)));
        home.close();
        if (!snapshot.isEmpty()) {
            OUT.printf("Stopped in %.1f s%n", (System.nanoTime() - begin) / 1e9);
        }
        OUT.flush();
        stopped.countDown();
    }

    private static void stopAndReport(Part part) {
        long begin = System.nanoTime();
        part.stop();
        OUT.printf("  %-17s stopped (%.1f s)%n", part.name(), (System.nanoTime() - begin) / 1e9);
    }

    private boolean isStopping() {
        synchronized (parts) {
            return stopping;
        }
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ready(String name, long pid, String where) {
        OUT.printf("  %-17s ready after %5.1f s  pid %-7d %s%n", name, secondsSinceLaunch(), pid, where);
    }

    private double secondsSinceLaunch() {
        return (System.currentTimeMillis() - launchedAt) / 1000.0;
    }

    private Path log(String name) {
        return settings.logs().resolve(name + ".log");
    }

    private void printSummary() {
        String ingest = "http://127.0.0.1:" + settings.ingestPort();
        String query = "http://127.0.0.1:" + settings.queryPort();
        OUT.println();
        OUT.printf(
                "Order pipeline up in %.1f s (from launch to every service healthy; %d CPUs, load average %s)%n",
                secondsSinceLaunch(), Runtime.getRuntime().availableProcessors(), loadAverage());
        OUT.println();
        OUT.println("  Live page        " + query + "/");
        OUT.println("  Place an order   curl -si " + ingest + "/orders -H 'Content-Type: application/json' \\");
        OUT.println(
                "                     -d \"{\\\"accountId\\\":\\\"acc-1\\\",\\\"clientOrderId\\\":\\\"c-$RANDOM\\\","
                        + "\\\"symbol\\\":\\\"AAPL\\\",\\\"side\\\":\\\"BUY\\\",\\\"orderType\\\":\\\"LIMIT\\\","
                        + "\\\"quantity\\\":100,\\\"price\\\":\\\"187.25\\\"}\"");
        OUT.println("  Read it back     curl -s " + query + "/orders/<orderId>   (the Location header of the POST)");
        OUT.println("  List orders      curl -s '" + query + "/orders?limit=20'");
        OUT.println("  STOMP            ws://127.0.0.1:" + settings.queryPort() + "/ws  (SockJS " + query
                + "/ws), subscribe to /topic/orders or /topic/orders.<orderId>");
        OUT.println("  OpenAPI          " + ingest + "/swagger-ui.html   " + query + "/swagger-ui.html");
        OUT.println("  Health           " + ingest + "/actuator/health   " + query + "/actuator/health   "
                + "http://127.0.0.1:" + settings.processorPort() + "/actuator/health");
        OUT.println("  Kafka            " + settings.bootstrapServers());
        OUT.println("  Schema registry  " + settings.registryUrl() + "   (Confluent API: http://127.0.0.1:"
                + settings.registryPort() + "/apis/ccompat/v7)");
        OUT.println("  Logs             " + settings.logs());
        OUT.println("  State            " + settings.home() + "   (kept across restarts; --reset wipes it)");
        OUT.println();
        OUT.printf("  %-17s %8s %10s %10s%n", "process", "pid", "RSS", "CPU used");
        long totalRss = 0;
        double totalCpu = 0;
        List<Part> snapshot;
        synchronized (parts) {
            snapshot = List.copyOf(parts);
        }
        List<Long> pids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Part part : snapshot) {
            pids.add(part.process().pid());
            names.add(part.name());
        }
        pids.add(ProcessHandle.current().pid());
        names.add("launcher");
        for (int i = 0; i < pids.size(); i++) {
            OptionalLong rss = Rss.kib(pids.get(i));
            OptionalDouble cpu = Rss.cpuSeconds(pids.get(i));
            totalRss += rss.orElse(0);
            totalCpu += cpu.orElse(0);
            OUT.printf("  %-17s %8d %10s %10s%n", names.get(i), pids.get(i), Rss.format(rss), Rss.format(cpu));
        }
        OUT.printf(
                "  %-17s %8s %10s %10s%n",
                "total", "", Rss.format(OptionalLong.of(totalRss)), Rss.format(OptionalDouble.of(totalCpu)));
        OUT.println();
        OUT.println("Press Ctrl-C to stop.");
        OUT.flush();
    }

    /** The 1-minute load average, which says how much the start-up time above owes to other work on the machine. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException notLinux) {
            return "n/a";
        }
    }

    private void requirePortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (LOCAL_STACK_KAFKA_PORT)", settings.kafkaPort());
        ports.put("schema registry (LOCAL_STACK_REGISTRY_PORT)", settings.registryPort());
        ports.put("ingest-api (LOCAL_STACK_INGEST_PORT)", settings.ingestPort());
        ports.put("query-ws-service (LOCAL_STACK_QUERY_PORT)", settings.queryPort());
        ports.put("stream-processor (LOCAL_STACK_PROCESSOR_PORT)", settings.processorPort());
        List<String> taken = new ArrayList<>();
        ports.forEach((what, port) -> {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException inUse) {
                taken.add(port + " for " + what);
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalStateException("port(s) already in use on 127.0.0.1: " + String.join(", ", taken)
                    + ". Is another stack, Kafka or service running? Stop it, or move this stack with the"
                    + " variable named in brackets.");
        }
    }

    private static void requireJars(StackSettings settings) {
        List<String> missing = new ArrayList<>();
        for (String module : List.of("ingest-api", "stream-processor", "query-ws-service")) {
            if (!Files.isRegularFile(settings.jar(module))) {
                missing.add(settings.jar(module).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "service jars not built: " + missing + "; run ./run-local.sh, which builds them first");
        }
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = LocalStack.class.getResourceAsStream("local-stack.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static void usage() {
        OUT.println("usage: ./run-local.sh [--build] [--reset]");
        OUT.println(
                "  --build   rebuild the services first (run-local.sh builds anyway when a jar is missing or stale)");
        OUT.println("  --reset   wipe .local-stack/ (Kafka data, registry schemas, state stores, logs) before start");
        OUT.println("Environment: any service setting (e.g. ORDERS_EXCHANGE_FAILURERATE=0.5), and LOCAL_STACK_HOME,");
        OUT.println("  LOCAL_STACK_{KAFKA,REGISTRY,INGEST,QUERY,PROCESSOR}_PORT, LOCAL_STACK_SERVICE_JVM_OPTS,");
        OUT.println("  LOCAL_STACK_START_TIMEOUT (seconds).");
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private enum Kind {
        INFRA,
        SERVICE
    }

    /** A started child and how to stop it. */
    private record Part(String name, Kind kind, ProcessHandle process, Runnable stopper) {

        void stop() {
            stopper.run();
        }
    }
}
