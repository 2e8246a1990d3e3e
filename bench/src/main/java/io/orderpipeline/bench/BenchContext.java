package io.orderpipeline.bench;

import io.orderpipeline.bench.kafka.KafkaClients;
import io.orderpipeline.bench.kafka.OrderFactory;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.stack.ProcFs;
import io.orderpipeline.bench.stack.ServiceControl;
import io.orderpipeline.bench.stack.Stack;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** What the phases of one run share: settings, clients, the stack, the report, and results later phases build on. */
public final class BenchContext {

    public final BenchSettings settings;
    public final BenchSettings.Plan plan;
    public final KafkaClients kafka;
    public final AvroSerdes serdes;
    public final OrderTopics topics;
    public final OrderFactory orders;
    public final Report report;
    public final Path logs;
    public Stack stack;

    /** Kafka ProducerPerformance records/s (acks=all, same record size). */
    public double producerBaseline = Double.NaN;
    /** Pass-through Streams records/s draining a backlog. */
    public double passThroughBaseline = Double.NaN;
    /** Highest POST rate that met the SLO (errors < 0.1%, p99 < 100 ms). */
    public double ingestSustained = Double.NaN;
    /** Highest POST rate at which every order was pushed as PLACED in time and the backlog did not grow. */
    public double e2eSustained = Double.NaN;
    /** POST closed-loop maximum, the fallback for "half load" when no rate met the SLO. */
    public double ingestClosedMax = Double.NaN;
    /** p50 of each page kind with ~1k stored orders, the baseline of the same page with ~1M. */
    public final Map<String, Double> smallPages = new java.util.concurrent.ConcurrentHashMap<>();

    private final List<String> knownOrderIds = new ArrayList<>();
    private ServiceControl processorControl;
    private final AtomicLong sequence = new AtomicLong();

    public BenchContext(
            BenchSettings settings,
            KafkaClients kafka,
            AvroSerdes serdes,
            OrderTopics topics,
            OrderFactory orders,
            Report report,
            Stack stack) {
        this.settings = settings;
        this.plan = settings.plan();
        this.kafka = kafka;
        this.serdes = serdes;
        this.topics = topics;
        this.orders = orders;
        this.report = report;
        this.stack = stack;
        this.logs = settings.workDir().resolve("logs");
    }

    /**
     * The rate later phases call "half load": half the sustained POST rate; if no rate met the SLO, a quarter of the
     * closed-loop maximum; without either (ingest phase not run), {@code BENCH_HALF_LOAD} or 100/s.
     */
    public double halfLoad() {
        if (!Double.isNaN(ingestSustained)) {
            return Math.max(10, ingestSustained / 2);
        }
        if (!Double.isNaN(ingestClosedMax)) {
            return Math.max(10, ingestClosedMax / 4);
        }
        return settings.halfLoad();
    }

    /** The rate of the e2e row and its CPU per 1k orders: {@code BENCH_E2E_RATE} when set, else {@link #halfLoad}. */
    public double e2eRate() {
        return Double.isNaN(settings.e2eRate()) ? halfLoad() : settings.e2eRate();
    }

    /** Stop/kill/restart of the stream-processor (one instance per run; it follows the pid across restarts). */
    public ServiceControl processorControl() {
        if (processorControl == null) {
            Stack.Member m = stack.member(Stack.PROCESSOR);
            if (m == null || !m.running()) {
                throw new IllegalStateException("stream-processor is not running (nothing listens on its port)");
            }
            processorControl = new ServiceControl(
                    Stack.PROCESSOR, m.port(), m.pid(), settings.restartMode(), logs, settings.processorEnv());
        }
        return processorControl;
    }

    /** A run-wide order sequence number: client order ids never repeat within a run. */
    public long nextSeq() {
        return sequence.getAndIncrement();
    }

    /** {@code n} consecutive run-wide sequence numbers; returns the first. */
    public long nextSeqs(int n) {
        return sequence.getAndAdd(n);
    }

    /** Remembers order ids the run created (for GET /orders/{id} load); keeps at most 200k. */
    public synchronized void rememberOrder(String orderId) {
        if (knownOrderIds.size() < 200_000) {
            knownOrderIds.add(orderId);
        } else {
            knownOrderIds.set(ThreadLocalRandom.current().nextInt(knownOrderIds.size()), orderId);
        }
    }

    public synchronized List<String> knownOrders() {
        return List.copyOf(knownOrderIds);
    }

    /** Which JDK a stack process runs on, from its executable path. */
    public static String jdkOf(long pid) {
        return ProcFs.exe(pid)
                .map(p -> {
                    Path home = p.getParent() == null ? p : p.getParent().getParent();
                    return home == null ? p.toString() : home.getFileName().toString();
                })
                .orElse("?");
    }

    /**
     * CPU-seconds per 1k orders and memory of every stack process, for the resources table.
     *
     * @param cpuSeconds CPU each process used during the phase
     * @param idlePerSecond CPU-seconds per second each process uses with no load (subtracted for the net column)
     * @param seconds length of the phase
     */
    public void recordResources(
            String phase,
            Map<String, Double> cpuSeconds,
            Map<String, Double> idlePerSecond,
            double seconds,
            long orders) {
        report.resources.clear();
        report.resourcesPhase = phase + ", " + orders + " orders";
        Map<String, double[]> memory = stack.memoryMiB();
        for (Stack.Member m : stack.members()) {
            if (!m.running()) {
                continue;
            }
            double cpu = cpuSeconds.getOrDefault(m.name(), Double.NaN);
            double idle = idlePerSecond.getOrDefault(m.name(), Double.NaN);
            double[] mem = memory.getOrDefault(m.name(), new double[] {Double.NaN, Double.NaN});
            report.resources.add(new Report.Resource(
                    m.name() + " (pid " + m.pid() + ")",
                    jdkOf(m.pid()),
                    orders == 0 ? Double.NaN : cpu / (orders / 1000.0),
                    orders == 0 ? Double.NaN : Math.max(0, cpu - idle * seconds) / (orders / 1000.0),
                    100 * idle,
                    mem[0],
                    mem[1]));
        }
    }
}
