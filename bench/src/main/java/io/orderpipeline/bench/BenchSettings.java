package io.orderpipeline.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a bench run does and against what. Endpoints default to the embedded stack's ports on 127.0.0.1 and can be
 * overridden with {@code BENCH_*} environment variables; sizes and durations follow the mode ({@code --quick} is
 * about 2 minutes of measuring, the full run about 8).
 *
 * @param phases which phases to run, in the fixed order of {@link #ALL_PHASES}
 * @param merge continue the report a previous invocation saved (the JMH phase runs after the stack has stopped)
 * @param standalone start a broker and a registry for baseline-only runs when no stack is up
 * @param restartMode {@code self} (the harness restarts a service it stopped) or {@code external} (a supervisor does)
 * @param processorEnv environment set on the stream-processor whenever the harness restarts it
 * @param jfr profile the services with JFR during the e2e phase ({@code BENCH_JFR=1})
 * @param halfLoad POST rate of the "half load" phases when the ingest phase did not run ({@code BENCH_HALF_LOAD})
 * @param getLongPoll read "PLACED visible in GET" with the long-poll ({@code BENCH_GET_MODE=poll}: plain polling)
 * @param e2eRate orders/s of the e2e row and its CPU per 1k orders ({@code BENCH_E2E_RATE}); NaN: half load. Pin it
 *     to compare CPU and latency before and after a change at one rate.
 * @param issuerUrl the token issuer ({@code BENCH_ISSUER_URL}; {@code ./bench.sh}: the launcher's auth-server)
 * @param client {@code id:secret} of the client whose token every request carries ({@code BENCH_CLIENT}, {@code
 *     ops:ops-secret}: orders:admin acts for the run's 2,000 accounts and may subscribe to {@code /topic/orders})
 * @param clientScope the scopes {@code client} asks for ({@code BENCH_CLIENT_SCOPE}, {@code orders:admin orders:write
 *     orders:read})
 * @param trader {@code id:secret:account,account} of the normal principal the ingest phase also measures ({@code
 *     BENCH_TRADER}, {@code trader-1:trader-1-secret:acc-1,acc-2})
 */
public record BenchSettings(
        boolean quick,
        Set<String> phases,
        boolean merge,
        boolean standalone,
        Path resultsDir,
        Path workDir,
        String bootstrap,
        String registryUrl,
        URI ingestUrl,
        URI queryUrl,
        List<URI> webSocketUrls,
        Map<String, Integer> ports,
        List<String> childJvmOptions,
        String restartMode,
        Map<String, String> processorEnv,
        boolean jfr,
        double halfLoad,
        boolean getLongPoll,
        double e2eRate,
        URI issuerUrl,
        String client,
        String clientScope,
        String trader,
        Plan plan) {

    /** Phase names, in the order they run. */
    public static final List<String> ALL_PHASES = List.of(
            "baselines",
            "page-small",
            "ingest",
            "e2e",
            "e2e-max",
            "batch",
            "topology",
            "query",
            "recovery",
            "page-large",
            "jmh");

    /**
     * Sizes and durations of one mode.
     *
     * @param sustainRamp offered before a sustained-rate step's backlog window starts
     * @param sustainWindow a sustained-rate step's backlog window (30 s in the full run)
     * @param sustainGrace how long a step's last orders may take to be done
     * @param sustainSteps steps of the e2e sustained-rate search
     * @param batchSteps steps of the batch sustained-rate search
     */
    public record Plan(
            Duration warmup,
            Duration closedLoop,
            int closedConcurrency,
            Duration searchStep,
            int searchSteps,
            Duration level,
            Duration endToEnd,
            Duration queryLoad,
            int producerRecords,
            int passThroughRecords,
            int topologyRecords,
            int smallStore,
            int largeStore,
            Duration recoveryBefore,
            Duration recoveryAfter,
            Duration drainDeadline,
            Duration sustainRamp,
            Duration sustainWindow,
            Duration sustainGrace,
            int sustainSteps,
            int batchSteps,
            List<String> jmhArgs) {

        static Plan quick() {
            return new Plan(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(6),
                    48,
                    Duration.ofSeconds(4),
                    4,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5),
                    200_000,
                    50_000,
                    20_000,
                    1_000,
                    100_000,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(120),
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    3,
                    2,
                    List.of("-f", "1", "-wi", "1", "-w", "1s", "-i", "2", "-r", "1s"));
        }

        static Plan full() {
            return new Plan(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    64,
                    Duration.ofSeconds(6),
                    6,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(10),
                    500_000,
                    100_000,
                    50_000,
                    1_000,
                    1_000_000,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(180),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(10),
                    4,
                    3,
                    List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s"));
        }
    }

    /** Reads {@code args} ({@code --quick}, {@code --phases=a,b}, {@code --merge}, {@code --standalone}) and env. */
    public static BenchSettings parse(String[] args, Map<String, String> env) {
        boolean quick = false;
        boolean merge = false;
        boolean standalone = false;
        Set<String> phases = new LinkedHashSet<>(ALL_PHASES);
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--merge")) {
                merge = true;
            } else if (arg.equals("--standalone")) {
                standalone = true;
            } else if (arg.startsWith("--phases=")) {
                phases = new LinkedHashSet<>();
                for (String p : arg.substring("--phases=".length()).split(",")) {
                    if (!ALL_PHASES.contains(p.trim())) {
                        throw new IllegalArgumentException("unknown phase " + p + "; phases are " + ALL_PHASES);
                    }
                    phases.add(p.trim());
                }
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + "; usage: [--quick] [--phases="
                        + String.join(",", ALL_PHASES) + "] [--merge] [--standalone]");
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String p : ALL_PHASES) {
            if (phases.contains(p)) {
                ordered.add(p);
            }
        }
        URI query = URI.create(env.getOrDefault("BENCH_QUERY_URL", "http://127.0.0.1:8081"));
        List<URI> ws = new ArrayList<>();
        if (env.containsKey("BENCH_WS_URL")) {
            ws.add(URI.create(env.get("BENCH_WS_URL")));
        } else {
            String base = "ws://" + query.getHost() + ":" + query.getPort();
            ws.add(URI.create(base + "/ws"));
            ws.add(URI.create(base + "/ws/websocket"));
        }
        String bootstrap = env.getOrDefault("BENCH_BOOTSTRAP", "127.0.0.1:9092");
        URI ingest = URI.create(env.getOrDefault("BENCH_INGEST_URL", "http://127.0.0.1:8080"));
        String registry = env.getOrDefault("BENCH_REGISTRY_URL", "http://127.0.0.1:8085/apis/registry/v2");
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("kafka", Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)));
        ports.put("registry", URI.create(registry).getPort());
        ports.put("ingest-api", ingest.getPort());
        ports.put("stream-processor", Integer.parseInt(env.getOrDefault("BENCH_PROCESSOR_PORT", "8082")));
        ports.put("query-ws-service", query.getPort());
        // not needed by any phase, but their CPU is part of what an order costs (the venue answers every order, the
        // issuer signs the tokens); absent members are left out of the tables
        ports.put("exchange-simulator", Integer.parseInt(env.getOrDefault("BENCH_VENUE_ADMIN_PORT", "8086")));
        ports.put(
                "auth-server",
                URI.create(env.getOrDefault("BENCH_ISSUER_URL", "http://127.0.0.1:9000"))
                        .getPort());
        Path root = Path.of(env.getOrDefault("BENCH_HOME", "bench"))
                .toAbsolutePath()
                .normalize();
        return new BenchSettings(
                quick,
                ordered,
                merge,
                standalone,
                root.resolve("results"),
                root.resolve("target").resolve("run"),
                bootstrap,
                registry,
                ingest,
                query,
                ws,
                ports,
                List.of(env.getOrDefault("BENCH_CHILD_JVM_OPTS", "-Xms256m -Xmx512m")
                        .trim()
                        .split("\\s+")),
                env.getOrDefault("BENCH_RESTART", "self"),
                keyValues(env.getOrDefault("BENCH_PROCESSOR_ENV", "")),
                "1".equals(env.get("BENCH_JFR")) || "true".equals(env.get("BENCH_JFR")),
                Double.parseDouble(env.getOrDefault("BENCH_HALF_LOAD", "100")),
                !"poll".equals(env.get("BENCH_GET_MODE")),
                env.containsKey("BENCH_E2E_RATE") ? Double.parseDouble(env.get("BENCH_E2E_RATE")) : Double.NaN,
                URI.create(env.getOrDefault("BENCH_ISSUER_URL", "http://127.0.0.1:9000")),
                env.getOrDefault("BENCH_CLIENT", "ops:ops-secret"),
                env.getOrDefault("BENCH_CLIENT_SCOPE", "orders:admin orders:write orders:read"),
                env.getOrDefault("BENCH_TRADER", "trader-1:trader-1-secret:acc-1,acc-2"),
                quick ? Plan.quick() : Plan.full());
    }

    /** {@code K=V,K=V} as a map (blank entries ignored). */
    static Map<String, String> keyValues(String text) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        }
        return map;
    }

    public boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** Any phase that needs the services (not only a broker). */
    public boolean needsServices() {
        return phases.stream().anyMatch(p -> !p.equals("baselines") && !p.equals("jmh"));
    }
}
