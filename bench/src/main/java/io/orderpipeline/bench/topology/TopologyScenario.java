package io.orderpipeline.bench.topology;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.baseline.Baselines;
import io.orderpipeline.bench.kafka.OutputWatcher;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.stack.Stack;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 3: how many orders per second the stream-processor's topology takes through validation, placement (the
 * simulated exchange at 0 latency) and state, on the real broker. Measured exactly like the pass-through baseline:
 * the processor is stopped cleanly, a backlog of valid PLACE commands is written to {@code orders.commands}, the
 * processor is started again, and the rate at which orders reach a terminal state on {@code orders.state} is taken
 * between 10 % and 90 % of the backlog (start-up and restore excluded).
 */
public final class TopologyScenario {

    private static final Logger log = LoggerFactory.getLogger(TopologyScenario.class);

    private final BenchContext ctx;

    public TopologyScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    static boolean terminal(OrderStatus status) {
        return status == OrderStatus.PLACED
                || status == OrderStatus.REJECTED
                || status == OrderStatus.FAILED
                || status == OrderStatus.CANCELLED;
    }

    public void run() {
        int n = ctx.plan.topologyRecords();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        Baselines baselines = new Baselines(ctx);
        var control = ctx.processorControl();
        control.stop(Duration.ofSeconds(60));
        ids.addAll(baselines.preload(ctx.topics.commands().name(), n, "topo"));
        long placedBefore;
        try (OutputWatcher<OrderState> watcher = new OutputWatcher<>(
                ctx.kafka,
                ctx.topics.state().name(),
                ctx.topics.state().valueSerde().deserializer(),
                null,
                (k, v) -> v != null && ids.contains(k) && terminal(v.getStatus()))) {
            long start = System.nanoTime();
            control.restart();
            long pid = control.awaitListening(Duration.ofSeconds(120));
            ctx.stack = ctx.stack.with(Stack.PROCESSOR, pid);
            boolean all = watcher.awaitCount(n, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            double steady = watcher.steadyRate(n, 0.1, 0.9);
            placedBefore = watcher.count();
            log.info(
                    "topology: {} of {} orders terminal in {} s after restart; steady {} orders/s",
                    watcher.count(),
                    n,
                    seconds,
                    steady);
            ctx.report.add(new Report.Row(
                    "3 topology",
                    "orders/s through the topology (backlog drain, exchange latency 0)",
                    steady,
                    "orders/s",
                    ctx.passThroughBaseline,
                    "pass-through Streams",
                    true,
                    String.format(
                            "10-90%% of %d orders; restart to last order %.1f s%s",
                            n, seconds, all ? "" : "; only " + watcher.count() + " reached a terminal state")));
        }
        if (placedBefore < n) {
            ctx.report.note("topology: " + (n - placedBefore) + " of " + n + " backlog orders did not finish in time");
        }
        ctx.report.note("topology: orders.state records per order and events are written too; the read side consumes"
                + " them at the same time on the same 2 cores");
    }
}
