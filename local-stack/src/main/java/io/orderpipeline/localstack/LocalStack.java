package io.orderpipeline.localstack;

import io.orderpipeline.infra.ApicurioRegistryProcess;
import io.orderpipeline.infra.KafkaBrokerProcess;
import io.orderpipeline.localstack.InstancePlan.ServiceInstance;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded default, one command: a real KRaft Kafka broker on 127.0.0.1:9092, Apicurio Registry on
 * 127.0.0.1:8085, then the token issuer auth-server (9000, started first of the services, ready when its OIDC
 * discovery answers), ingest-api (8080), query-ws-service (8081) and stream-processor (8082) — or several
 * instances of the last two ({@code --processors N --query-instances M}, see {@link InstancePlan}) — each a child JVM
 * with its log under {@code .local-stack/logs/}. Prints where to point a browser and curl once every service reports
 * healthy, and stops everything on Ctrl-C (SIGINT/SIGTERM/SIGHUP): the services first, then the registry, then the
 * broker, so that the services close their Streams and producers against a live broker.
 *
 * <p>State survives a restart: Kafka's log directory, the registry's schemas (H2 database file, so that the schema
 * ids inside records already in Kafka still resolve) and the Streams state directories all live under
 * {@code .local-stack/}; {@code --reset} wipes it first. If a port is taken or a child exits during start-up, the
 * launcher stops what it started and exits non-zero with the child's last log lines.
 *
 * <p>After start-up the services are supervised ({@link SupervisedService}, {@link RestartPolicy}): one that exits is
 * restarted with backoff while the rest keeps running, which is how a Kafka Streams application is meant to lose an
 * instance. Kafka or the registry exiting still stops the stack: no service works without them.
 *
 * <p>Run it with {@code ./run-local.sh}, which builds what is missing and keeps Ctrl-C away from the children (so
 * that the stop order above holds).
 */
public final class LocalStack {

    private static final PrintStream OUT = System.out;

    private final StackSettings settings;
    private final StackHome home;
    private final List<ServiceInstance> plan;
    private final long launchedAt = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final List<Part> infra = new ArrayList<>();
    private final List<SupervisedService> services = new ArrayList<>();
    private final ScheduledExecutorService restarts;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;

    private LocalStack(StackSettings settings, StackHome home, List<ServiceInstance> plan) {
        this.settings = settings;
        this.home = home;
        this.plan = plan;
        this.restarts = Executors.newScheduledThreadPool(plan.size(), daemon("local-stack-restart"));
    }

    public static void main(String[] args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            Arguments.usage(OUT);
            System.exit(2);
            return;
        }
        if (arguments.help()) {
            Arguments.usage(OUT);
            return;
        }
        StackSettings settings;
        StackHome home;
        List<ServiceInstance> plan;
        try {
            settings = StackSettings.from(
                    System.getenv(), Path.of(System.getProperty("local-stack.root", ".")), version());
            plan = InstancePlan.plan(settings, arguments.processors(), arguments.queryInstances(), System.getenv());
            Preflight.requireJars(settings);
            home = StackHome.open(settings.home());
        } catch (RuntimeException e) {
            System.err.println("Cannot start the local stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        LocalStack stack = new LocalStack(settings, home, plan);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-shutdown"));
        try {
            home.stopLeftovers(OUT);
            if (arguments.reset()) {
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
        Preflight.requirePortsFree(settings, plan);
        OUT.printf("Starting the order pipeline from %s (state in %s)%n", settings.root(), settings.home());
        ExecutorService starter = Executors.newFixedThreadPool(2, daemon("local-stack-start"));
        try {
            // The registry keeps schemas in its own database, not in Kafka: the two start side by side.
            CompletableFuture<KafkaBrokerProcess> kafka = CompletableFuture.supplyAsync(
                    () -> {
                        KafkaBrokerProcess broker = KafkaBrokerProcess.start(
                                settings.kafkaPort(), home.resolve("kafka"), log("kafka"), Map.of(), List.of());
                        register(new Part("kafka", broker.process().toHandle(), settings.kafkaPort(), broker::close));
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
                                ProcessHandle.of(process.pid()).orElseThrow(),
                                settings.registryPort(),
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
        watchInfra();
        List<SupervisedService> started;
        synchronized (infra) {
            started = List.copyOf(services);
        }
        started.forEach(SupervisedService::supervise);
        printSummary(started);
    }

    private void startServices() {
        List<SupervisedService> waiting = new ArrayList<>();
        for (ServiceInstance instance : plan) {
            SupervisedService service = SupervisedService.start(instance, settings, restarts, OUT);
            synchronized (infra) {
                if (stopping) {
                    service.stop();
                    throw new IllegalStateException("stopping");
                }
                services.add(service);
            }
            waiting.add(service);
        }

        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (!waiting.isEmpty()) {
            requireInfraAlive();
            for (SupervisedService service : List.copyOf(waiting)) {
                ServiceProcess process = service.current();
                if (process.isHealthy()) {
                    waiting.remove(service);
                    ready(service.name(), process.pid(), process.healthUrl());
                }
            }
            if (System.nanoTime() > deadline && !waiting.isEmpty()) {
                ServiceProcess late = waiting.get(0).current();
                throw new IllegalStateException(late.name() + " not healthy within " + settings.startTimeout()
                        + " (LOCAL_STACK_START_TIMEOUT); see " + late.logFile() + System.lineSeparator()
                        + late.lastLogLines());
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    /** Takes a started broker or registry into the stop list, or stops it at once if the stack is already stopping. */
    private void register(Part part) {
        synchronized (infra) {
            if (!stopping) {
                infra.add(part);
                return;
            }
        }
        part.stop();
    }

    private void requireInfraAlive() {
        synchronized (infra) {
            for (Part part : infra) {
                if (!part.process().isAlive()) {
                    throw new IllegalStateException(
                            part.name() + " exited while the services were starting; see " + log(part.name()));
                }
            }
        }
    }

    /**
     * After start-up, Kafka or the registry exiting takes the stack down: no service can work without them, and
     * restarting them under running services is not what this launcher is for. The services are supervised instead.
     */
    private void watchInfra() {
        List<Part> snapshot;
        synchronized (infra) {
            snapshot = List.copyOf(infra);
        }
        for (Part part : snapshot) {
            part.process().onExit().thenRun(() -> {
                synchronized (infra) {
                    if (stopping) {
                        return;
                    }
                }
                System.err.printf(
                        "%n%s (pid %d) exited unexpectedly; no service works without it: stopping the stack. See %s%n",
                        part.name(), part.process().pid(), log(part.name()));
                System.exit(1);
            });
        }
    }

    /**
     * Shutdown hook: services (in parallel; a pending restart is cancelled, one under way is stopped), then the
     * registry, then the broker; then any stray child.
     */
    private void stop() {
        List<Part> infraSnapshot;
        List<SupervisedService> serviceSnapshot;
        synchronized (infra) {
            stopping = true;
            infraSnapshot = List.copyOf(infra);
            serviceSnapshot = List.copyOf(services);
        }
        boolean started = !infraSnapshot.isEmpty() || !serviceSnapshot.isEmpty();
        if (started) {
            OUT.println();
            OUT.println("Stopping the local stack ...");
        }
        long begin = System.nanoTime();
        List<Thread> stoppers = new ArrayList<>();
        for (SupervisedService service : serviceSnapshot) {
            Thread stopper = new Thread(() -> stopAndReport(service.name(), service::stop), "stop-" + service.name());
            stopper.start();
            stoppers.add(stopper);
        }
        stoppers.forEach(LocalStack::join);
        restarts.shutdownNow();
        for (String name : List.of("schema-registry", "kafka")) {
            infraSnapshot.stream()
                    .filter(part -> part.name().equals(name))
                    .forEach(part -> stopAndReport(part.name(), part::stop));
        }
        // Children whose start was still under way when the signal came (not yet in the list).
        ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .forEach(child -> StackHome.stop(child, Duration.ofSeconds(20)));
        home.close();
        if (started) {
            OUT.printf("Stopped in %.1f s%n", (System.nanoTime() - begin) / 1e9);
        }
        OUT.flush();
        stopped.countDown();
    }

    private static void stopAndReport(String name, Runnable stop) {
        long begin = System.nanoTime();
        stop.run();
        OUT.printf("  %-19s stopped (%.1f s)%n", name, (System.nanoTime() - begin) / 1e9);
    }

    private boolean isStopping() {
        synchronized (infra) {
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
        OUT.printf("  %-19s ready after %5.1f s  pid %-7d %s%n", name, secondsSinceLaunch(), pid, where);
    }

    private double secondsSinceLaunch() {
        return (System.currentTimeMillis() - launchedAt) / 1000.0;
    }

    private Path log(String name) {
        return settings.logs().resolve(name + ".log");
    }

    private void printSummary(List<SupervisedService> started) {
        List<StackReport.Row> rows = new ArrayList<>();
        synchronized (infra) {
            for (Part part : infra) {
                rows.add(new StackReport.Row(part.name(), part.process().pid(), Integer.toString(part.port())));
            }
        }
        for (SupervisedService service : started) {
            rows.add(new StackReport.Row(service.name(), service.current().pid(), Integer.toString(service.port())));
        }
        rows.add(new StackReport.Row("launcher", ProcessHandle.current().pid(), ""));
        StackReport.print(OUT, settings, started, rows, secondsSinceLaunch());
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

    /** Kafka or the registry: a started child, its port and how to stop it. */
    private record Part(String name, ProcessHandle process, int port, Runnable stopper) {

        void stop() {
            stopper.run();
        }
    }
}
