package io.orderpipeline.bench.http;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one HTTP load (open model or closed loop) against one endpoint and returns its {@link LoadResult}. */
public final class HttpLoad {

    private static final Logger log = LoggerFactory.getLogger(HttpLoad.class);

    /** Bytes of request {@code seq}. */
    @FunctionalInterface
    public interface Requests {
        byte[] request(LoadLoop.Endpoint endpoint, long seq);
    }

    /** Called on the loop thread for each successful call. */
    @FunctionalInterface
    public interface OnOk {
        void accept(LoadLoop.Call call, byte[] body, long doneNanos);
    }

    /**
     * What to run.
     *
     * @param openRate calls per second for the open model; 0 for a closed loop of {@code concurrency}
     * @param connections keep-alive connections (open model); the closed loop uses {@code concurrency}
     */
    public record Spec(
            String name,
            URI base,
            double openRate,
            int concurrency,
            int connections,
            Duration duration,
            long maxCalls,
            IntPredicate okStatus,
            Requests requests,
            OnOk onOk,
            long timeoutMillis) {

        public static Spec open(String name, URI base, double rate, Duration duration, Requests requests) {
            return new Spec(
                    name, base, rate, 0, 256, duration, Long.MAX_VALUE, s -> s / 100 == 2, requests, null, 10_000);
        }

        public static Spec closed(String name, URI base, int concurrency, Duration duration, Requests requests) {
            return new Spec(
                    name,
                    base,
                    0,
                    concurrency,
                    concurrency,
                    duration,
                    Long.MAX_VALUE,
                    s -> s / 100 == 2,
                    requests,
                    null,
                    10_000);
        }

        public Spec onOk(OnOk listener) {
            return new Spec(
                    name,
                    base,
                    openRate,
                    concurrency,
                    connections,
                    duration,
                    maxCalls,
                    okStatus,
                    requests,
                    listener,
                    timeoutMillis);
        }

        public Spec maxCalls(long max) {
            return new Spec(
                    name,
                    base,
                    openRate,
                    concurrency,
                    connections,
                    duration,
                    max,
                    okStatus,
                    requests,
                    onOk,
                    timeoutMillis);
        }

        public Spec okStatus(IntPredicate predicate) {
            return new Spec(
                    name,
                    base,
                    openRate,
                    concurrency,
                    connections,
                    duration,
                    maxCalls,
                    predicate,
                    requests,
                    onOk,
                    timeoutMillis);
        }
    }

    private HttpLoad() {}

    public static LoadResult run(Spec spec) {
        LatencyRecorder rec = new LatencyRecorder();
        boolean open = spec.openRate() > 0;
        try (LoadLoop loop = new LoadLoop(spec.timeoutMillis())) {
            LoadLoop.Endpoint endpoint = loop.endpoint(spec.base(), open ? spec.connections() : spec.concurrency());
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            Arrivals.Closed[] closed = new Arrivals.Closed[1];
            LoadLoop.Callback callback = new LoadLoop.Callback() {
                @Override
                public void completed(LoadLoop.Call call, int status, byte[] body, long doneNanos) {
                    if (closed[0] != null) {
                        closed[0].release();
                    }
                    long from = open ? call.intendedNanos : call.sentNanos;
                    if (spec.okStatus().test(status)) {
                        rec.ok(doneNanos - from, doneNanos);
                        if (spec.onOk() != null) {
                            spec.onOk().accept(call, body, doneNanos);
                        }
                    } else {
                        rec.error("http " + status, doneNanos);
                    }
                }

                @Override
                public void failed(LoadLoop.Call call, String reason, long doneNanos) {
                    if (closed[0] != null) {
                        closed[0].release();
                    }
                    rec.error(reason, doneNanos);
                }
            };
            Arrivals.CallFactory factory = (seq, intended) ->
                    new LoadLoop.Call(endpoint, spec.requests().request(endpoint, seq), intended, null, callback);
            long durationNanos = spec.duration().toNanos();
            LoadLoop.Driver driver;
            if (open) {
                driver = Arrivals.open(spec.openRate(), spec.maxCalls(), durationNanos, start, factory);
            } else {
                closed[0] = Arrivals.closed(spec.concurrency(), spec.maxCalls(), durationNanos, start, factory);
                driver = closed[0];
            }
            // Calls still running 15 s after the last arrival fail as "abandoned": the run is bounded in time.
            loop.run(driver, start + durationNanos + Duration.ofSeconds(15).toNanos());
            // Throughput over the offered window (open) or the run (closed), not including the drain.
            double seconds = Math.max(durationNanos, System.nanoTime() - start) / 1e9;
            if (open) {
                seconds = durationNanos / 1e9;
            }
            LoadResult result = LoadResult.of(
                    spec.name(),
                    open,
                    open ? spec.openRate() : spec.concurrency(),
                    seconds,
                    rec,
                    (processCpuNanos() - cpuStart) / 1e9);
            log.info("{}", result.summary());
            return result;
        }
    }

    /** CPU time of this JVM so far. */
    public static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
