package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.infra.Jvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The launcher as a user runs it — a child process, {@code --processors 2 --query-instances 2}, on free ports and a
 * temporary {@code LOCAL_STACK_HOME} — with the services' exec jars (built by {@code package}, which {@code verify}
 * runs before these tests). Under a steady load of POSTs one processor is killed with SIGKILL: the launcher must
 * restart it, and the pipeline must carry on. Then SIGTERM stops everything. Every request carries an {@code ops}
 * token (every account, {@code /topic/orders}) from the stack's own auth-server process, so the launcher's wiring of
 * the issuer into the services is exercised too: without it no request would get past 401.
 *
 * <p>Documented bound: the killed processor is healthy again (UP, Streams RUNNING) within {@link #RESTART_BOUND} of the
 * kill; measured 13-17 s on 2 busy cores (1 s backoff plus a JVM start plus a rebalance).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupervisedFailoverTest {

    static final Duration RESTART_BOUND = Duration.ofSeconds(90);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);
    private static final Set<String> TERMINAL = Set.of("FILLED", "REJECTED", "FAILED", "CANCELLED", "EXPIRED");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final AtomicInteger clientOrderIds = new AtomicInteger();
    private Path home;
    private Process launcher;
    private int ingestPort;
    private int queryPort;
    private int query2Port;
    private int venueAdminPort;
    private Tokens tokens;

    @BeforeAll
    void startStack() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        for (String module :
                List.of("auth-server", "exchange-simulator", "ingest-api", "stream-processor", "query-ws-service")) {
            try (Stream<Path> jars = Files.list(root.resolve(module).resolve("target"))) {
                if (jars.noneMatch(jar -> jar.getFileName().toString().endsWith("-exec.jar"))) {
                    fail(module + "'s exec jar is missing: run ./mvnw -B package -DskipTests -pl " + module
                            + " (./mvnw verify builds it before this test)");
                }
            }
        }
        home = Files.createTempDirectory("local-stack-failover");
        Path logback = home.resolve("launcher-logback.xml");
        Files.writeString(
                logback,
                "<configuration><appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\"><encoder>"
                        + "<pattern>%msg%n</pattern></encoder></appender><root level=\"WARN\">"
                        + "<appender-ref ref=\"out\"/></root></configuration>");

        List<Integer> ports = freePorts(8);
        ingestPort = ports.get(2);
        queryPort = ports.get(3);
        int extra = freeConsecutivePorts(2, ports);
        query2Port = extra; // InstancePlan: query instances take the extra ports first, then processors

        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(
                        Jvm.javaExecutable(),
                        "-Xmx128m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=" + logback,
                        "-Dlocal-stack.root=" + root,
                        "-cp",
                        classpath,
                        LocalStack.class.getName(),
                        "--processors",
                        "2",
                        "--query-instances",
                        "2")
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("LOCAL_STACK_HOME", home.toString());
        env.put("LOCAL_STACK_KAFKA_PORT", ports.get(0).toString());
        env.put("LOCAL_STACK_REGISTRY_PORT", ports.get(1).toString());
        env.put("LOCAL_STACK_INGEST_PORT", Integer.toString(ingestPort));
        env.put("LOCAL_STACK_QUERY_PORT", Integer.toString(queryPort));
        env.put("LOCAL_STACK_PROCESSOR_PORT", ports.get(4).toString());
        env.put("LOCAL_STACK_AUTH_PORT", ports.get(5).toString());
        env.put("LOCAL_STACK_VENUE_PORT", ports.get(6).toString());
        env.put("LOCAL_STACK_VENUE_ADMIN_PORT", ports.get(7).toString());
        venueAdminPort = ports.get(7);
        tokens = new Tokens("http://127.0.0.1:" + ports.get(5));
        env.put("LOCAL_STACK_EXTRA_PORT", Integer.toString(extra));
        env.put(
                "LOCAL_STACK_SERVICE_JVM_OPTS",
                "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError");
        env.put("LOCAL_STACK_START_TIMEOUT", Long.toString(START_TIMEOUT.toSeconds()));
        // The killed member's partitions move once its session expires: 10 s instead of 45 s keeps the test short.
        env.put("SPRING_KAFKA_STREAMS_PROPERTIES_SESSION_TIMEOUT_MS", "10000");
        launcher = builder.start();
        Thread reader = new Thread(() -> read(launcher.getInputStream()), "launcher-output");
        reader.setDaemon(true);
        reader.start();

        await("the launcher's 'Press Ctrl-C to stop.'")
                .atMost(START_TIMEOUT.plusMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!launcher.isAlive()) {
                        fail("the launcher exited with " + launcher.exitValue() + ":\n" + String.join("\n", output));
                    }
                    return output.contains("Press Ctrl-C to stop.");
                });
    }

    @AfterAll
    void stopStack() throws Exception {
        if (launcher != null && launcher.isAlive()) {
            List<ProcessHandle> children = launcher.descendants().toList();
            launcher.toHandle().destroy();
            if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        if (home != null) {
            try (Stream<Path> tree = Files.walk(home)) {
                tree.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void shouldRestartAKilledProcessorWhileEveryPostIsAnsweredAndEveryOrderCompletes() throws Exception {
        // given a live STOMP subscriber on each query instance and a steady load of 20 POSTs a second
        try (StompRecorder stomp1 = StompRecorder.subscribe(
                        webSocketUrl(queryPort), "/topic/orders", timeout(), tokens.bearer(Tokens.Client.OPS));
                StompRecorder stomp2 = StompRecorder.subscribe(
                        webSocketUrl(query2Port), "/topic/orders", timeout(), tokens.bearer(Tokens.Client.OPS))) {
            awaitLive(stomp1, stomp2);
            Load load = new Load();
            load.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted().size() >= 40);

            // when processor 2 is killed the way a crash or an OOM kill looks
            long pid = tablePid("stream-processor-2");
            long killedAt = System.nanoTime();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            // then the launcher says so, restarts it, and reports it healthy within the bound
            await("the exit notice")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> output.stream()
                            .anyMatch(
                                    line -> line.startsWith("stream-processor-2 (pid " + pid + ") exited with code 137")
                                            && line.contains("restarting it in 1 s")));
            await("stream-processor-2 restarted, healthy")
                    .atMost(RESTART_BOUND)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> output.stream()
                            .anyMatch(line -> line.startsWith("stream-processor-2 restarted, healthy after")));
            double restartToHealthy = (System.nanoTime() - killedAt) / 1e9;
            System.out.printf("kill to healthy: %.1f s%n", restartToHealthy);
            assertThat(launcher.isAlive()).isTrue();
            long newPid = restartedPid();
            assertThat(newPid).isNotEqualTo(pid);
            assertThat(ProcessHandle.of(newPid).map(ProcessHandle::isAlive))
                    .as("the restarted processor")
                    .hasValue(true);

            // and the load goes on after the restart
            int acceptedAtRestart = load.accepted().size();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted().size() >= acceptedAtRestart + 60);
            load.stop();

            // then every POST was answered 202, or 503 with Retry-After; none was refused
            assertThat(load.failures()).as("requests that got no answer").isEmpty();
            assertThat(load.answers())
                    .allSatisfy(answer -> assertThat(
                                    answer.status() == 202 || (answer.status() == 503 && answer.retryAfter()))
                            .as("status %d (Retry-After %s)", answer.status(), answer.retryAfter())
                            .isTrue());
            List<String> accepted = load.accepted();
            System.out.printf(
                    "POSTs: %d answered, %d accepted, %d answered 503%n",
                    load.answers().size(),
                    accepted.size(),
                    load.answers().stream()
                            .filter(answer -> answer.status() == 503)
                            .count());

            // and every accepted order reaches a terminal state, read on both query instances
            awaitTerminal(queryPort, accepted);
            awaitTerminal(query2Port, accepted);

            // and each subscriber saw each order's versions 1, 2, … without a gap, up to the terminal state
            for (StompRecorder stomp : List.of(stomp1, stomp2)) {
                await().atMost(SETTLE_TIMEOUT).untilAsserted(() -> assertContiguous(stomp, accepted));
                assertThat(stomp.errors()).isEmpty();
            }

            // and the venue holds exactly one order per ClOrdID, and every fill it reported is in the order's state
            assertVenueAgrees(accepted);

            // and a listing on either instance merges every partition: every accepted order is in it
            assertThat(listAll(queryPort)).containsAll(accepted);
            assertThat(listAll(query2Port)).containsAll(accepted);
        }
    }

    /**
     * Issue 13: the venue killed and restarted mid-load. Orders in flight are retried with backoff (RETRYING) while
     * it is down; none is lost (every accepted order ends terminal, versions contiguous on STOMP) and none is doubled
     * (the venue, which keeps its book in its journal across the restart, holds one order per ClOrdID, and what it
     * filled is what the states say).
     */
    @Test
    @Order(2)
    void shouldRetryOrdersWhileTheKilledVenueRestartsAndLoseOrDoubleNone() throws Exception {
        // given a live subscriber and the steady load
        try (StompRecorder stomp = StompRecorder.subscribe(
                webSocketUrl(queryPort), "/topic/orders", timeout(), tokens.bearer(Tokens.Client.OPS))) {
            awaitLive(stomp);
            Load load = new Load();
            load.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted().size() >= 40);

            // when the venue is killed
            long pid = tablePid("exchange-simulator");
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            // then the launcher restarts it, and the load goes on
            await("exchange-simulator restarted, healthy")
                    .atMost(RESTART_BOUND)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> output.stream()
                            .anyMatch(line -> line.startsWith("exchange-simulator restarted, healthy after")));
            int acceptedAtRestart = load.accepted().size();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted().size() >= acceptedAtRestart + 60);
            load.stop();
            List<String> accepted = load.accepted();
            assertThat(load.failures()).as("requests that got no answer").isEmpty();

            // and every accepted order ends terminal, each pushed version by version
            awaitTerminal(queryPort, accepted);
            await().atMost(SETTLE_TIMEOUT).untilAsserted(() -> assertContiguous(stomp, accepted));

            // and orders sent while the venue was down were retried
            assertThat(stomp.messages())
                    .anyMatch(message -> message.path("status").asString().equals("RETRYING"));

            // and the venue's book agrees with the states: nothing placed twice, no fill missing
            assertVenueAgrees(accepted);
        }
    }

    @Test
    @Order(3)
    void shouldStopEveryChildOnSigtermWithoutRestartingAny() throws Exception {
        // given the running stack and its children
        List<ProcessHandle> children = launcher.descendants().toList();
        assertThat(children)
                .as("kafka, registry, issuer, venue, ingest, 2 processors, 2 query instances")
                .hasSizeGreaterThanOrEqualTo(9);
        int linesBefore = output.size();

        // when the launcher gets SIGTERM (what run-local.sh turns Ctrl-C into)
        // (through the handle: Process.destroy() would also close the pipe this test reads the output from)
        launcher.toHandle().destroy();

        // then it stops everything in order and exits, and nothing was restarted meanwhile
        assertThat(launcher.waitFor(150, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> output.stream().anyMatch(line -> line.startsWith("Stopped in")));
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        List<String> stopping = output.subList(linesBefore, output.size());
        assertThat(stopping).noneMatch(line -> line.contains("restarting"));
        assertThat(String.join("\n", stopping))
                .containsSubsequence("Stopping the local stack", "schema-registry", "kafka", "Stopped in");
    }

    private long tablePid(String name) {
        Pattern row = Pattern.compile("^\\s+" + Pattern.quote(name) + "\\s+(\\d+)\\s+\\d+\\s");
        return output.stream()
                .map(row::matcher)
                .filter(Matcher::find)
                .map(matcher -> Long.parseLong(matcher.group(1)))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(name + " not in the start-up table:\n" + String.join("\n", output)));
    }

    private long restartedPid() {
        Pattern restarting = Pattern.compile("^stream-processor-2 restarting: pid (\\d+)");
        return output.stream()
                .map(restarting::matcher)
                .filter(Matcher::find)
                .map(matcher -> Long.parseLong(matcher.group(1)))
                .reduce((first, second) -> second)
                .orElseThrow();
    }

    private void awaitLive(StompRecorder... recorders) {
        // Spring's simple broker sends no RECEIPT for a SUBSCRIBE: a subscription is live once a message arrived.
        await("live STOMP subscriptions")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    post();
                    return Stream.of(recorders)
                            .allMatch(recorder -> !recorder.messages().isEmpty());
                });
    }

    /**
     * The venue's book ({@code GET /admin/orders}) against the pipeline's states: no ClOrdID twice, none live, and each
     * order's quantity filled at the venue equals the state's filledQuantity and the sum of its fills.
     */
    private void assertVenueAgrees(List<String> orderIds) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + venueAdminPort + "/admin/orders"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, JsonNode> byClOrdId = new HashMap<>();
        for (JsonNode entry : JSON.readTree(response.body()).values()) {
            JsonNode previous = byClOrdId.put(entry.path("clOrdId").asString(), entry);
            assertThat(previous)
                    .as("venue orders for ClOrdID %s", entry.path("clOrdId"))
                    .isNull();
        }
        for (String orderId : orderIds) {
            JsonNode state = get(queryPort, "/orders/" + orderId).orElseThrow();
            long fillSum = state.path("fills").values().stream()
                    .mapToLong(fill -> fill.path("quantity").asLong())
                    .sum();
            assertThat(fillSum)
                    .as("sum of fills of %s", orderId)
                    .isEqualTo(state.path("filledQuantity").asLong());
            JsonNode atVenue = byClOrdId.get(orderId);
            if (atVenue == null) {
                assertThat(state.path("filledQuantity").asLong())
                        .as("fills of %s, unknown to the venue", orderId)
                        .isZero();
                continue;
            }
            assertThat(atVenue.path("live").asBoolean())
                    .as("%s live at the venue", orderId)
                    .isFalse();
            assertThat(atVenue.path("cumQty").asLong())
                    .as("quantity the venue filled for %s", orderId)
                    .isEqualTo(state.path("filledQuantity").asLong());
        }
    }

    private void awaitTerminal(int port, List<String> orderIds) {
        Set<String> pending = new HashSet<>(orderIds);
        await("every accepted order terminal on port " + port)
                .atMost(SETTLE_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (String orderId : List.copyOf(pending)) {
                        Optional<JsonNode> state = get(port, "/orders/" + orderId);
                        if (state.isPresent()
                                && TERMINAL.contains(state.get().path("status").asString())) {
                            pending.remove(orderId);
                        }
                    }
                    return pending.isEmpty();
                });
    }

    private static void assertContiguous(StompRecorder stomp, List<String> orderIds) {
        Map<String, List<JsonNode>> byOrder = new LinkedHashMap<>();
        for (JsonNode message : stomp.messages()) {
            byOrder.computeIfAbsent(message.path("orderId").asString(""), id -> new ArrayList<>())
                    .add(message);
        }
        for (String orderId : orderIds) {
            List<JsonNode> pushed = byOrder.getOrDefault(orderId, List.of());
            assertThat(pushed).as("pushes of %s", orderId).isNotEmpty();
            assertThat(pushed)
                    .as("versions of %s", orderId)
                    .extracting(message -> message.path("version").asLong())
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, pushed.size()).boxed().toList());
            assertThat(TERMINAL)
                    .contains(pushed.get(pushed.size() - 1).path("status").asString());
        }
    }

    private Set<String> listAll(int port) throws Exception {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            String query = "/orders?limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = get(port, query).orElseThrow();
            page.path("items").forEach(item -> ids.add(item.path("orderId").asString()));
            cursor =
                    page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
        } while (cursor != null);
        return ids;
    }

    private Optional<JsonNode> get(int port, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", tokens.bearer(Tokens.Client.OPS))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        return Optional.of(JSON.readTree(response.body()));
    }

    private HttpRequest postRequest() {
        String body = """
                {"accountId":"acc-failover","clientOrderId":"f-%d","symbol":"AAPL","side":"BUY","orderType":"MARKET",\
                "quantity":10}""".formatted(clientOrderIds.incrementAndGet());
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingestPort + "/orders"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", tokens.bearer(Tokens.Client.OPS))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private void post() throws Exception {
        http.send(postRequest(), HttpResponse.BodyHandlers.discarding());
    }

    private void read(InputStream in) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                System.out.println("[launcher] " + line);
            }
        } catch (IOException closed) {
            // the launcher is gone
        }
    }

    private static Duration timeout() {
        return Duration.ofSeconds(30);
    }

    private static String webSocketUrl(int port) {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static int freeConsecutivePorts(int count, List<Integer> taken) {
        for (int attempt = 0; attempt < 200; attempt++) {
            // below the kernel's ephemeral range (32768 and up), where an outgoing connection may take a probed port
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                free = !taken.contains(port) && isFree(port);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** 20 POSTs a second, each answer (or failure) recorded. */
    private final class Load {

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();

        void start() {
            timer.scheduleAtFixedRate(this::send, 0, 50, TimeUnit.MILLISECONDS);
        }

        private void send() {
            inFlight.incrementAndGet();
            http.sendAsync(postRequest(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                if (error != null) {
                    failures.add(error);
                } else {
                    String orderId = null;
                    if (response.statusCode() == 202) {
                        orderId = JSON.readTree(response.body()).path("orderId").asString();
                    }
                    answers.add(new Answer(
                            response.statusCode(),
                            response.headers().firstValue("Retry-After").isPresent(),
                            orderId));
                }
                inFlight.decrementAndGet();
            });
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> inFlight.get() == 0);
        }

        List<String> accepted() {
            return answers.stream()
                    .map(Answer::orderId)
                    .filter(id -> id != null)
                    .toList();
        }

        List<Answer> answers() {
            return List.copyOf(answers);
        }

        List<Throwable> failures() {
            return List.copyOf(failures);
        }
    }

    private record Answer(int status, boolean retryAfter, String orderId) {}
}
