package io.orderpipeline.bench.report;

import java.util.Optional;

/**
 * The cost bound for identity, "token validation costs at most 10 % of POST throughput", as one figure of the
 * run: the per-request cost of validating a token ({@code TokenValidationBenchmark}, JMH) as a share of ingest-api's
 * CPU per order (net of idle, from the resources table of the same run). On a CPU-bound ingest-api, throughput falls
 * by that share. A before/after comparison of POST throughput is the other half: see bench/README.md.
 */
public final class TokenCost {

    static final String BENCHMARK = "TokenValidationBenchmark.validateToken";
    static final double BOUND = 0.10;

    private TokenCost() {}

    /** The note for the report, or empty when the JMH figure is missing. */
    public static Optional<String> describe(Report report) {
        Optional<Report.Jmh> jmh = report.jmh.stream()
                .filter(j -> j.benchmark().equals(BENCHMARK) && "us/op".equals(j.unit()))
                .findFirst();
        if (jmh.isEmpty()) {
            return Optional.empty();
        }
        double micros = jmh.get().score();
        Optional<Report.Resource> ingest = report.resources.stream()
                .filter(r -> r.process().startsWith("ingest-api") && !Double.isNaN(r.netCpuSecondsPer1kOrders()))
                .findFirst();
        if (ingest.isEmpty()) {
            return Optional.of(String.format(
                    "token validation: %.1f µs per request (JMH, %s); no ingest-api CPU per order in this run to"
                            + " compare it with",
                    micros, BENCHMARK));
        }
        // CPU-seconds per 1k orders = milliseconds per order
        double perOrderMicros = ingest.get().netCpuSecondsPer1kOrders() * 1000;
        double share = micros / perOrderMicros;
        return Optional.of(String.format(
                "token validation: %.1f µs per request (JMH) = %.1f %% of ingest-api's CPU per order (%.0f µs, net of"
                        + " idle, %s): %s the 10 %% bound",
                micros, 100 * share, perOrderMicros, report.resourcesPhase, share <= BOUND ? "within" : "ABOVE"));
    }
}
