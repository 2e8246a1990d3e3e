package io.orderpipeline.bench;

import io.orderpipeline.bench.baseline.Baselines;
import io.orderpipeline.bench.endtoend.EndToEndScenario;
import io.orderpipeline.bench.http.BearerToken;
import io.orderpipeline.bench.ingest.IngestScenario;
import io.orderpipeline.bench.kafka.Instruments;
import io.orderpipeline.bench.kafka.KafkaClients;
import io.orderpipeline.bench.kafka.OrderFactory;
import io.orderpipeline.bench.query.PageScenario;
import io.orderpipeline.bench.query.QueryScenario;
import io.orderpipeline.bench.recovery.RecoveryScenario;
import io.orderpipeline.bench.report.Plots;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.report.TokenCost;
import io.orderpipeline.bench.stack.Stack;
import io.orderpipeline.bench.sustained.BatchScenario;
import io.orderpipeline.bench.sustained.EndToEndRateScenario;
import io.orderpipeline.bench.topology.TopologyScenario;
import io.orderpipeline.infra.ApicurioRegistryProcess;
import io.orderpipeline.infra.KafkaBrokerProcess;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import io.orderpipeline.schemas.TopicNames;
import io.orderpipeline.schemas.avro.Instrument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bench command: runs the phases against the stack on 127.0.0.1 (started by {@code ./bench.sh}, or already
 * running), prints the results table and writes it to {@code bench/results/<date>.md}.
 *
 * <p>Phases run in a fixed order; each one that fails is recorded as a note and the run goes on, so one broken
 * capability never hides the numbers of the others. {@code jmh} is meant to run in a second invocation with {@code
 * --merge}, after the stack has been stopped, so that micro-benchmarks do not share the CPUs with it.
 */
public final class BenchMain {

    private static final Logger log = LoggerFactory.getLogger(BenchMain.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALL_STACK_PHASES = String.join(
            ",", BenchSettings.ALL_PHASES.stream().filter(p -> !p.equals("jmh")).toList());

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.parse(args, System.getenv());
        Files.createDirectories(settings.workDir().resolve("logs"));
        Path partial = settings.workDir().resolve("report.json");
        Report report = settings.merge() && Files.exists(partial)
                ? JSON.readValue(partial.toFile(), Report.class)
                : newReport(settings, args);

        List<String> stackPhases =
                settings.phases().stream().filter(p -> !p.equals("jmh")).toList();
        if (!stackPhases.isEmpty()) {
            report.environment.put("phases", String.join(",", stackPhases));
            runStackPhases(settings, report, stackPhases);
            JSON.writeValue(partial.toFile(), report);
        }
        if (settings.runs("jmh")) {
            try {
                JmhRunner.run(settings, report);
                TokenCost.describe(report).ifPresent(report::note);
            } catch (Exception e) {
                log.error("jmh failed", e);
                report.note("jmh failed: " + e);
            }
            JSON.writeValue(partial.toFile(), report);
        }
        Path out = settings.resultsDir().resolve(report.environment.get("results file"));
        Files.createDirectories(out.getParent());
        String stem = out.getFileName().toString().replaceFirst("\\.md$", "");
        // quick and partial runs write dated plots only; the stable names the README embeds come from full runs
        boolean latest = !settings.quick() && ALL_STACK_PHASES.equals(report.environment.get("phases"));
        for (Path plot : Plots.write(report, settings.resultsDir(), stem, latest)) {
            log.info("plot written to {}", plot);
        }
        String markdown = report.toMarkdown();
        Files.writeString(out, markdown);
        System.out.println();
        System.out.println(markdown);
        System.out.println("written to " + out);
    }

    private static Report newReport(BenchSettings settings, String[] args) throws IOException {
        Report report = new Report();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        report.environment.put("date", now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        String file = now.format(DateTimeFormatter.ISO_LOCAL_DATE) + (settings.quick() ? "-quick" : "") + ".md";
        if (Files.exists(settings.resultsDir().resolve(file))) {
            file = now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + (settings.quick() ? "-quick" : "")
                    + ".md";
        }
        report.environment.put("results file", file);
        report.environment.put(
                "command",
                "./bench.sh "
                        + String.join(" ", List.of(args)).replace("--merge", "").trim());
        report.environment.put("mode", settings.quick() ? "quick (~2 min of load)" : "full (~11 min of load)");
        report.environment.put(
                "machine",
                Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                        + Math.round(totalMemoryGiB()) + " GiB RAM, " + System.getProperty("os.name") + " "
                        + System.getProperty("os.version"));
        report.environment.put(
                "load generator JVM",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " ("
                        + System.getProperty("java.home") + ")");
        return report;
    }

    /**
     * Every request of the run carries a token of {@code BENCH_CLIENT} from the issuer, as a real client's would. An
     * issuer that does not answer (a stack from before identity, or baselines only) leaves the requests without one,
     * and the report says so.
     */
    private static void authenticate(BenchSettings settings, Report report) {
        try {
            BearerToken token = BearerToken.fetch(settings.issuerUrl(), settings.client(), settings.clientScope());
            BearerToken.install(token);
            report.environment.put(
                    "identity",
                    token.clientId() + " (client credentials from " + settings.issuerUrl()
                            + ", renewed before expiry, sent on every POST/GET and the STOMP CONNECT)");
        } catch (RuntimeException e) {
            log.warn("no token, requests go without one: {}", e.toString());
            report.note("no token from " + settings.issuerUrl() + " (" + e.getMessage()
                    + "): requests carried no Authorization header");
        }
    }

    private static void runStackPhases(BenchSettings settings, Report report, List<String> phases) throws Exception {
        KafkaClients kafka = new KafkaClients(settings.bootstrap());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            if (!kafka.reachable(Duration.ofSeconds(5))) {
                if (!settings.standalone()) {
                    throw new IllegalStateException("no Kafka broker at " + settings.bootstrap()
                            + ": start the stack (./bench.sh does) or pass --standalone for baselines only");
                }
                startStandalone(settings, started);
                report.note("standalone: broker and registry started by the harness (no services)");
            }
            Stack stack = Stack.discover(settings.ports());
            authenticate(settings, report);
            String startup = System.getenv("BENCH_STACK_STARTUP");
            if (startup != null && !startup.isBlank()) {
                report.environment.put("stack start-up", startup.trim());
            }
            report.environment.put(
                    "stack",
                    stack.members().stream()
                            .map(m -> m.name()
                                    + (m.running()
                                            ? " pid " + m.pid() + " on " + BenchContext.jdkOf(m.pid())
                                            : " not running"))
                            .collect(Collectors.joining("; ")));
            AvroSerdes serdes = AvroSerdes.registry(settings.registryUrl());
            OrderTopics topics = OrderTopics.create(TopicNames.defaults(), serdes);
            String runId = "b" + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("MMddHHmmss"));
            List<OrderFactory.Product> products = products(kafka, topics, report);
            BenchContext ctx =
                    new BenchContext(settings, kafka, serdes, topics, new OrderFactory(runId, products), report, stack);
            List<String> loads = new ArrayList<>();
            for (String phase : phases) {
                String missing = missingServices(phase, ctx.stack);
                if (missing.isEmpty() && (phase.equals("topology") || phase.equals("recovery"))) {
                    String supervisor =
                            supervisor(ctx.stack.member(Stack.PROCESSOR).pid());
                    if (supervisor != null) {
                        report.note(phase + ": skipped, the stream-processor is supervised by " + supervisor
                                + ", which stops the stack when it exits; run through ./bench.sh, which detaches it");
                        continue;
                    }
                }
                if (!missing.isEmpty()) {
                    report.note(phase + ": skipped, not running: " + missing);
                    log.warn("phase {} skipped: {} not running", phase, missing);
                    continue;
                }
                long start = System.nanoTime();
                String loadBefore = loadAverage();
                log.info("=== phase {} ===", phase);
                try {
                    runPhase(phase, ctx);
                } catch (Exception | AssertionError e) {
                    log.error("phase {} failed", phase, e);
                    report.note(phase + ": failed: " + e);
                }
                log.info("=== phase {} took {} s ===", phase, (System.nanoTime() - start) / 1_000_000_000);
                loads.add(phase + " " + loadBefore + "->" + loadAverage());
            }
            // the machine is shared: how busy it was is part of every number
            report.note("load average (1 min, 2 cores) at start->end of each phase: " + String.join(", ", loads));
            report.environment.put(
                    "stack after run",
                    ctx.stack.members().stream()
                            .filter(Stack.Member::running)
                            .map(m -> m.name() + " pid " + m.pid())
                            .collect(Collectors.joining("; ")));
        } finally {
            java.util.Collections.reverse(started);
            for (AutoCloseable c : started) {
                c.close();
            }
        }
    }

    private static void runPhase(String phase, BenchContext ctx) {
        switch (phase) {
            case "baselines" -> new Baselines(ctx).run();
            case "page-small" -> new PageScenario(ctx).run(ctx.plan.smallStore(), false);
            case "ingest" -> new IngestScenario(ctx).run();
            case "e2e" -> new EndToEndScenario(ctx).run();
            case "e2e-max" -> new EndToEndRateScenario(ctx).run();
            case "batch" -> new BatchScenario(ctx).run();
            case "topology" -> new TopologyScenario(ctx).run();
            case "query" -> new QueryScenario(ctx).run();
            case "recovery" -> new RecoveryScenario(ctx).run();
            case "page-large" -> new PageScenario(ctx).run(ctx.plan.largeStore(), true);
            default -> throw new IllegalArgumentException(phase);
        }
    }

    /** The local-stack launcher, if it is the parent of {@code pid} (it stops everything when a child exits). */
    static String supervisor(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(ProcessHandle::parent)
                .filter(parent -> parent.info().commandLine().orElse("").contains("local-stack"))
                .map(parent -> "the local-stack launcher (pid " + parent.pid() + ")")
                .orElse(null);
    }

    /** Services a phase needs that are not listening. */
    static String missingServices(String phase, Stack stack) {
        List<String> needs = switch (phase) {
            case "baselines" -> List.of(Stack.KAFKA, Stack.REGISTRY);
            case "page-small", "page-large" -> List.of(Stack.KAFKA, Stack.REGISTRY, Stack.QUERY);
            case "ingest" -> List.of(Stack.KAFKA, Stack.INGEST);
            case "batch" -> List.of(Stack.KAFKA, Stack.REGISTRY, Stack.INGEST, Stack.PROCESSOR);
            case "topology" -> List.of(Stack.KAFKA, Stack.REGISTRY, Stack.PROCESSOR);
            default -> List.of(Stack.KAFKA, Stack.REGISTRY, Stack.INGEST, Stack.PROCESSOR, Stack.QUERY);
        };
        return needs.stream().filter(n -> !stack.running(n)).collect(Collectors.joining(", "));
    }

    private static List<OrderFactory.Product> products(KafkaClients kafka, OrderTopics topics, Report report) {
        try {
            List<Instrument> instruments = Instruments.read(
                    kafka,
                    topics.instruments().name(),
                    topics.instruments().valueSerde().deserializer(),
                    Duration.ofSeconds(10));
            List<OrderFactory.Product> products = OrderFactory.products(instruments);
            if (!products.isEmpty()) {
                report.environment.put(
                        "instruments",
                        products.stream()
                                .map(p -> p.symbol() + "@" + p.price().toPlainString())
                                .collect(Collectors.joining(", ")));
                return products;
            }
        } catch (RuntimeException e) {
            log.warn("cannot read instruments: {}", e.toString());
        }
        report.note("instruments topic empty or unreadable; orders use fallback symbols and prices");
        return OrderFactory.fallbackProducts();
    }

    private static void startStandalone(BenchSettings settings, List<AutoCloseable> started) {
        Path home = settings.workDir().resolve("standalone");
        int kafkaPort = settings.ports().get(Stack.KAFKA);
        started.add(KafkaBrokerProcess.start(
                kafkaPort,
                home.resolve("kafka-" + System.currentTimeMillis()),
                settings.workDir().resolve("logs").resolve("standalone-kafka.log")));
        started.add(ApicurioRegistryProcess.start(
                settings.ports().get(Stack.REGISTRY),
                settings.workDir().resolve("logs").resolve("standalone-registry.log"),
                List.of()));
    }

    /** The 1-minute load average, or "?" off Linux. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return Double.NaN;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
