package io.orderpipeline.bench.sustained;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.endtoend.EndToEndScenario;
import io.orderpipeline.bench.http.Arrivals;
import io.orderpipeline.bench.http.JsonScan;
import io.orderpipeline.bench.http.LatencyRecorder;
import io.orderpipeline.bench.http.LoadLoop;
import io.orderpipeline.bench.kafka.OutputWatcher;
import io.orderpipeline.bench.stack.Sleep;
import io.orderpipeline.bench.stomp.StompSubscriber;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of a sustained-rate search: orders offered at a fixed rate (open model, one order per {@code POST
 * /orders} or {@code n} per {@code POST /orders/batch}) for a ramp and a window, each order's outcome watched
 * downstream, and the backlog (orders accepted but not yet done) sampled once a second through the window. An order
 * is done when its PLACED state is pushed on STOMP {@code /topic/orders}, or when a terminal state of it is committed
 * on {@code orders.state}; only this step's orders count (their client order ids carry the step's tag). Latency runs
 * from the intended send time of the request that carried the order to the moment it was done.
 */
final class SustainedStep {

    private static final Logger log = LoggerFactory.getLogger(SustainedStep.class);

    /** Where an order counts as done. */
    enum Outcome {
        STOMP_PLACED,
        STATE_TERMINAL
    }

    /**
     * What to run.
     *
     * @param ordersPerRequest 1: {@code POST /orders}; more: {@code POST /orders/batch} with that many orders
     * @param ramp offered but not part of the backlog window (the pipeline fills up to its steady backlog)
     * @param window the backlog is sampled once a second through it
     * @param grace how long after the last request orders may still become done
     */
    record Spec(
            String tag,
            double ordersPerSecond,
            int ordersPerRequest,
            Duration ramp,
            Duration window,
            Duration grace,
            Outcome outcome) {}

    /**
     * What a step measured.
     *
     * @param latency per accepted order, request intended send -> done; orders not done in time are errors
     * @param requests per request, intended send -> answer; non-2xx answers and transport failures are errors
     * @param backlog orders accepted and not done, once a second through the window
     * @param refused orders the service answered but did not accept (batch items it refused)
     */
    record Result(
            Spec spec,
            LatencyRecorder latency,
            LatencyRecorder requests,
            long accepted,
            long done,
            long refused,
            long[] backlog) {

        long notDone() {
            return accepted - done;
        }

        double backlogGrowth() {
            return BacklogTrend.growth(backlog);
        }
    }

    private SustainedStep() {}

    static Result run(BenchContext ctx, Spec spec) {
        String prefix = ctx.orders.clientOrderIdPrefix(spec.tag());
        Map<String, Long> done = new ConcurrentHashMap<>();
        try (AutoCloseable source = watch(ctx, spec.outcome(), prefix, done);
                LoadLoop loop = new LoadLoop(10_000)) {
            return offer(ctx, spec, loop, done);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AutoCloseable watch(BenchContext ctx, Outcome outcome, String prefix, Map<String, Long> done) {
        if (outcome == Outcome.STOMP_PLACED) {
            return StompSubscriber.connectAny(
                    ctx.settings.webSocketUrls(),
                    List.of("/topic/orders"),
                    (dest, body, at) -> {
                        String client = JsonScan.stringField(body, "clientOrderId");
                        if (client != null
                                && client.startsWith(prefix)
                                && EndToEndScenario.acknowledged(JsonScan.stringField(body, "status"))) {
                            String id = JsonScan.stringField(body, "orderId");
                            if (id != null) {
                                done.putIfAbsent(id, at);
                            }
                        }
                    },
                    Duration.ofSeconds(10));
        }
        return new OutputWatcher<OrderState>(
                        ctx.kafka,
                        ctx.topics.state().name(),
                        ctx.topics.state().valueSerde().deserializer(),
                        null,
                        (k, v) -> false) // this step's own map, filled below, is what counts
                .listener((record, seen) -> {
                    OrderState v = record.value();
                    if (v != null
                            && terminal(v.getStatus())
                            && v.getClientOrderId() != null
                            && v.getClientOrderId().startsWith(prefix)) {
                        done.putIfAbsent(record.key(), seen);
                    }
                });
    }

    static boolean terminal(OrderStatus s) {
        return s == OrderStatus.PLACED
                || s == OrderStatus.REJECTED
                || s == OrderStatus.FAILED
                || s == OrderStatus.CANCELLED;
    }

    private static Result offer(BenchContext ctx, Spec spec, LoadLoop loop, Map<String, Long> done) {
        boolean batch = spec.ordersPerRequest() > 1;
        String path = batch ? "/orders/batch" : "/orders";
        double requestRate = spec.ordersPerSecond() / spec.ordersPerRequest();
        LoadLoop.Endpoint ingest = loop.endpoint(ctx.settings.ingestUrl(), 256);
        Map<String, Long> intended = new HashMap<>(); // loop thread only
        LatencyRecorder requests = new LatencyRecorder();
        long[] refused = {0};
        LoadLoop.Callback callback = new LoadLoop.Callback() {
            @Override
            public void completed(LoadLoop.Call call, int status, byte[] body, long at) {
                if (status / 100 != 2) {
                    requests.error("http " + status, at);
                    refused[0] += spec.ordersPerRequest();
                    return;
                }
                requests.ok(at - call.intendedNanos, at);
                List<String> ids = batch
                        ? JsonScan.stringFields(body, "orderId")
                        : java.util.Optional.ofNullable(JsonScan.stringField(body, "orderId"))
                                .map(List::of)
                                .orElse(List.of());
                refused[0] += spec.ordersPerRequest() - ids.size();
                for (String id : ids) {
                    intended.put(id, call.intendedNanos);
                    ctx.rememberOrder(id);
                }
            }

            @Override
            public void failed(LoadLoop.Call call, String reason, long at) {
                requests.error(reason, at);
                refused[0] += spec.ordersPerRequest();
            }
        };
        long start = System.nanoTime();
        long offerNanos = spec.ramp().plus(spec.window()).toNanos();
        int samples = (int) spec.window().toSeconds() + 1;
        long[] backlog = new long[samples];
        long windowStart = start + spec.ramp().toNanos();
        for (int i = 0; i < samples; i++) {
            int index = i;
            // orders of this step accepted but not done; done may run a moment ahead of the answers: never below 0
            loop.at(
                    windowStart + TimeUnit.SECONDS.toNanos(i),
                    () -> backlog[index] = Math.max(0, intended.size() - done.size()));
        }
        Arrivals.Open arrivals = Arrivals.open(requestRate, Long.MAX_VALUE, offerNanos, start, (seq, due) -> {
            long first = ctx.nextSeqs(spec.ordersPerRequest());
            byte[] body = batch
                    ? ctx.orders.batchBody(spec.tag(), first, spec.ordersPerRequest())
                    : ctx.orders.postBody(spec.tag(), first);
            return new LoadLoop.Call(ingest, ingest.postJson(path, body), due, null, callback);
        });
        loop.run(arrivals, start + offerNanos + TimeUnit.SECONDS.toNanos(15));
        long deadline = System.nanoTime() + spec.grace().toNanos();
        while (System.nanoTime() < deadline && !done.keySet().containsAll(intended.keySet())) {
            Sleep.millis(50);
        }
        LatencyRecorder latency = new LatencyRecorder();
        long now = System.nanoTime();
        long doneCount = 0;
        for (Map.Entry<String, Long> e : intended.entrySet()) {
            Long at = done.get(e.getKey());
            if (at == null) {
                latency.error("not done within " + spec.grace().toSeconds() + " s", now);
            } else {
                latency.ok(at - e.getValue(), at);
                doneCount++;
            }
        }
        Result result = new Result(spec, latency, requests, intended.size(), doneCount, refused[0], backlog);
        log.info(
                "{} @{}/s ({} per request): requests ok {} err {} p99 {} ms | orders accepted {} done {} refused {},"
                        + " p50 {} p99 {} ms | backlog growth {} over {} s{}",
                spec.tag(),
                Math.round(spec.ordersPerSecond()),
                spec.ordersPerRequest(),
                requests.ok(),
                requests.errorCount(),
                requests.percentileMillis(99),
                intended.size(),
                doneCount,
                refused[0],
                latency.percentileMillis(50),
                latency.percentileMillis(99),
                Math.round(result.backlogGrowth()),
                spec.window().toSeconds(),
                requests.errorCount() > 0 ? ", request errors " + requests.errors() : "");
        return result;
    }
}
