package io.orderpipeline.bench.sustained;

import io.orderpipeline.bench.BenchContext;
import io.orderpipeline.bench.http.BearerToken;
import io.orderpipeline.bench.report.Report;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Figure 1, bulk ingest: {@code POST /orders/batch} with {@value #ORDERS_PER_REQUEST} orders per request (open
 * model), searched for the highest order rate at which the pipeline keeps up: request errors below 0.1 %, every
 * accepted order reaches a terminal state (PLACED, REJECTED, FAILED, CANCELLED) on {@code orders.state} within the
 * grace, order latency p99 at most 1 s, and a backlog that does not grow over the window. Reported in orders/s, with
 * its ratio to the single-POST maximum sustained rate. A service without the endpoint (404/405) gets a row that says
 * so.
 */
public final class BatchScenario {

    static final int ORDERS_PER_REQUEST = 100;
    static final Slo SLO = new Slo(0.001, 1_000, 0.25, 500);
    private static final String METRIC = "POST /orders/batch (" + ORDERS_PER_REQUEST
            + " per request) max sustained, pipeline keeping up (all terminal on orders.state, p99 <= 1 s,"
            + " backlog not growing)";

    private final BenchContext ctx;

    public BatchScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    public void run() {
        String unavailable = probe();
        if (unavailable != null) {
            ctx.report.add(new Report.Row(
                    "1 ingest", METRIC, Double.NaN, "orders/s", null, null, true, "not measured: " + unavailable));
            return;
        }
        double single = Double.isNaN(ctx.ingestSustained) ? 2 * ctx.halfLoad() : ctx.ingestSustained;
        BracketSearch search = new BracketSearch(2 * single, 100, 20 * single, 2, 0.6, 1.15, ctx.plan.batchSteps());
        Searches.Outcome outcome = Searches.run(
                ctx,
                search,
                SLO,
                rate -> new SustainedStep.Spec(
                        "batch-" + Math.round(rate),
                        rate,
                        ORDERS_PER_REQUEST,
                        ctx.plan.sustainRamp(),
                        ctx.plan.sustainWindow(),
                        ctx.plan.sustainGrace(),
                        SustainedStep.Outcome.STATE_TERMINAL),
                step -> {});
        ctx.report.add(new Report.Row(
                "1 ingest",
                METRIC,
                search.best(),
                "orders/s",
                Double.isNaN(ctx.ingestSustained) ? null : ctx.ingestSustained,
                "single POST max sustained",
                true,
                outcome.describe()));
        ctx.report.note("batch sustained-rate search: " + String.join(", ", outcome.trace()));
    }

    /** Null when {@code POST /orders/batch} accepts a small batch; otherwise why the scenario cannot run. */
    String probe() {
        URI uri = ctx.settings.ingestUrl().resolve("/orders/batch");
        byte[] body = ctx.orders.batchBody("batch-probe", ctx.nextSeqs(2), 2);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json")
                                    .headers(authorization())
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return verdict(response.statusCode(), response.body());
        } catch (IOException e) {
            return "POST " + uri + " failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String[] authorization() {
        String value = BearerToken.installedValue();
        return value == null ? new String[0] : new String[] {"Authorization", value};
    }

    /** Null for a 2xx answer; otherwise the reason the batch scenario is skipped. */
    static String verdict(int status, String body) {
        if (status / 100 == 2) {
            return null;
        }
        String snippet = body == null ? "" : body.replaceAll("\\s+", " ");
        snippet = snippet.length() > 160 ? snippet.substring(0, 160) + "…" : snippet;
        if (status == 404 || status == 405) {
            return "POST /orders/batch answered " + status + ": the endpoint is not there (yet)";
        }
        return "POST /orders/batch answered " + status + " to a batch of 2 valid orders: " + snippet;
    }
}
