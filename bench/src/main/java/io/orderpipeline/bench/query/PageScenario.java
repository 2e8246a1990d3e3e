package io.orderpipeline.bench.query;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.http.BearerToken;
import io.orderpipeline.bench.http.HttpLoad;
import io.orderpipeline.bench.http.JsonScan;
import io.orderpipeline.bench.http.LoadResult;
import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.stack.Sleep;
import io.orderpipeline.schemas.avro.OrderState;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 4, second half: does the cost of a page grow with the number of stored orders? The read side is filled with
 * terminal {@link OrderState}s written straight to {@code orders.state} with the project's serde (what the
 * stream-processor would have published), to about 1k orders early in the run and to about 1M at the end, and the same
 * pages are timed at both sizes: the first page, a filtered page, and a page ten cursors deep.
 */
public final class PageScenario {

    private static final Logger log = LoggerFactory.getLogger(PageScenario.class);

    private final BenchContext ctx;
    private final HttpClient http = HttpClient.newHttpClient();

    public PageScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes {@code fill} filler orders (for the small size, only as many as bring {@code orders.state} to that many
     * records) and times the pages; each page kind is warmed up first, so the JIT is not what the small size measures.
     */
    public void run(int fill, boolean large) {
        long existing = ctx.kafka.endOffsetSum(ctx.topics.state().name());
        long toWrite = large ? fill : Math.max(0, fill - existing);
        if (!large && existing > 2L * fill) {
            ctx.report.note(String.format(
                    "page-small: orders.state already holds %d records (stack not fresh); 'small' is that size",
                    existing));
        }
        if (toWrite > 0) {
            fill(toWrite);
        }
        long stored = large ? existing + toWrite : Math.max(existing, fill);
        String size =
                large ? String.format("~%,d + %,d earlier records", toWrite, existing) : String.format("~%,d", stored);
        Map<String, String> pages = pages();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            HttpLoad.run(HttpLoad.Spec.open(
                            "page warm-up " + page.getKey(),
                            ctx.settings.queryUrl(),
                            50,
                            Duration.ofSeconds(2),
                            (e, seq) -> e.get(page.getValue()))
                    .okStatus(s -> s == 200));
            LoadResult r = HttpLoad.run(HttpLoad.Spec.open(
                            "page " + page.getKey() + " @" + stored,
                            ctx.settings.queryUrl(),
                            50,
                            ctx.settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(6),
                            (e, seq) -> e.get(page.getValue()))
                    .okStatus(s -> s == 200));
            String metric = String.format("GET %s p50, %s", page.getKey(), size);
            String note = String.format(
                    "p99 %.2f ms, errors %.3f%%, 50 req/s open model after 2 s warm-up", r.p99(), 100 * r.errorRate());
            if (large) {
                ctx.report.add(new Report.Row(
                        "4 query",
                        metric,
                        r.p50(),
                        "ms",
                        ctx.smallPages.get(page.getKey()),
                        "same page, ~1k orders",
                        false,
                        note));
            } else {
                ctx.smallPages.put(page.getKey(), r.p50());
                ctx.report.row("4 query", metric, r.p50(), "ms", note);
            }
        }
        log.info("page-{} done", large ? "large" : "small");
    }

    /** The pages to time: first page, filtered page, a page ten cursors deep (when the service gives cursors). */
    private Map<String, String> pages() {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/orders?limit=20", "/orders?limit=20");
        String symbol = ctx.orders.products().get(0).symbol();
        String filtered = "/orders?limit=20&status=PLACED&symbol=" + symbol;
        pages.put("/orders?limit=20&status=PLACED&symbol=" + symbol, filtered);
        String cursor = null;
        String path = "/orders?limit=20";
        for (int i = 0; i < 10; i++) {
            byte[] body = getBody(path);
            cursor = body == null ? null : JsonScan.stringField(body, "nextCursor");
            if (cursor == null) {
                break;
            }
            path = "/orders?limit=20&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        }
        if (cursor != null) {
            pages.put("page 11 via cursor", path);
        }
        return pages;
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String value = BearerToken.installedValue();
        return value == null ? request : request.header("Authorization", value);
    }

    private byte[] getBody(String path) {
        try {
            HttpResponse<byte[]> response = http.send(
                    authorized(HttpRequest.newBuilder(ctx.settings.queryUrl().resolve(path)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Writes {@code n} filler states and waits until the read side serves the last one of every partition. */
    private void fill(long n) {
        Map<Integer, String> lastPerPartition = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        Instant newest = Instant.now().minusSeconds(3600);
        try (KafkaProducer<String, OrderState> producer = ctx.kafka.bulkProducer(
                new StringSerializer(), ctx.topics.state().valueSerde().serializer())) {
            for (long i = 0; i < n; i++) {
                String id = ctx.orders.orderId(i);
                producer.send(
                        new ProducerRecord<>(ctx.topics.state().name(), id, ctx.orders.fillerState(i, id, newest)),
                        (meta, e) -> {
                            if (e == null) {
                                lastPerPartition.put(meta.partition(), id);
                            }
                        });
            }
            producer.flush();
        }
        double produced = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        for (String id : lastPerPartition.values()) {
            while (getBody("/orders/" + id) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read side did not materialize " + n + " filler orders in time");
                }
                Sleep.millis(200);
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        log.info("filled {} states: produced in {} s, served after {} s", n, produced, total);
        if (n >= 10_000) {
            ctx.report.row(
                    "4 query",
                    String.format("read side materializes %,d states written to orders.state", n),
                    n / total,
                    "states/s",
                    String.format("produced in %.1f s, all served by GET after %.1f s", produced, total));
        }
    }
}
