package io.orderpipeline.bench.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Several open-model streams at once on one loop (e.g. POSTs as background load plus GETs being measured), each
 * with its own rate, connections and latency recorder.
 */
public final class MixedLoad {

    /** One stream of calls. */
    public record Stream(
            String name, URI base, double rate, int connections, HttpLoad.Requests requests, IntPredicate ok) {}

    private final List<Stream> streams = new ArrayList<>();

    public MixedLoad add(Stream stream) {
        streams.add(stream);
        return this;
    }

    /** Runs every stream for {@code duration}; returns each stream's recorder by name. */
    public Map<String, LatencyRecorder> run(Duration duration) {
        Map<String, LatencyRecorder> recorders = new LinkedHashMap<>();
        try (LoadLoop loop = new LoadLoop(10_000)) {
            long start = System.nanoTime();
            List<LoadLoop.Driver> drivers = new ArrayList<>();
            for (Stream s : streams) {
                LatencyRecorder rec = new LatencyRecorder();
                recorders.put(s.name(), rec);
                LoadLoop.Endpoint endpoint = loop.endpoint(s.base(), s.connections());
                LoadLoop.Callback cb = new LoadLoop.Callback() {
                    @Override
                    public void completed(LoadLoop.Call call, int status, byte[] body, long done) {
                        if (s.ok().test(status)) {
                            rec.ok(done - call.intendedNanos, done);
                        } else {
                            rec.error("http " + status, done);
                        }
                    }

                    @Override
                    public void failed(LoadLoop.Call call, String reason, long done) {
                        rec.error(reason, done);
                    }
                };
                drivers.add(Arrivals.open(
                        s.rate(),
                        Long.MAX_VALUE,
                        duration.toNanos(),
                        start,
                        (seq, intended) ->
                                new LoadLoop.Call(endpoint, s.requests().request(endpoint, seq), intended, null, cb)));
            }
            loop.run(
                    Drivers.all(drivers.toArray(LoadLoop.Driver[]::new)),
                    start + duration.toNanos() + Duration.ofSeconds(15).toNanos());
        }
        return recorders;
    }
}
