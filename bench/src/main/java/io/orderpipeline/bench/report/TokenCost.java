package io.orderpipeline.bench.report;

import java.util.Optional;

/**
 * The cost bound for identity, "token validation costs at most 10 % of POST throughput", as one figure of the
 * run: what the security filter chain costs one authenticated request ({@code SecurityFilterChainBenchmark}, JMH: the
 * real chain with the services' settings, the validated-token cache on, a client re-using its token as real clients
 * do) as a share of ingest-api's CPU per order (net of idle, from the resources table of the same run). On a
 * CPU-bound ingest-api, throughput falls by that share. The uncached figure (a new token on every request) and the bare
 * RS256 validation ({@code TokenValidationBenchmark}) are given beside it. A before/after comparison of POST
 * throughput is the other half: see bench/README.md.
 */
public final class TokenCost {

    static final String CHAIN = "SecurityFilterChainBenchmark.authenticatedPost tokenCache=4096";
    static final String CHAIN_UNCACHED = "SecurityFilterChainBenchmark.authenticatedPost tokenCache=0";
    static final String VALIDATION = "TokenValidationBenchmark.validateToken";
    static final double BOUND = 0.10;

    private TokenCost() {}

    /** The note for the report, or empty when the JMH figure is missing. */
    public static Optional<String> describe(Report report) {
        Optional<Double> chain = micros(report, CHAIN);
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        String context = String.format(
                "uncached chain %s µs, bare RS256 validation %s µs",
                micros(report, CHAIN_UNCACHED)
                        .map(m -> String.format("%.1f", m))
                        .orElse("n/a"),
                micros(report, VALIDATION).map(m -> String.format("%.1f", m)).orElse("n/a"));
        Optional<Report.Resource> ingest = report.resources.stream()
                .filter(r -> r.process().startsWith("ingest-api") && !Double.isNaN(r.netCpuSecondsPer1kOrders()))
                .findFirst();
        if (ingest.isEmpty()) {
            return Optional.of(String.format(
                    "token validation: %.1f µs per request (JMH, %s; %s); no ingest-api CPU per order in this run to"
                            + " compare it with",
                    chain.get(), CHAIN, context));
        }
        // CPU-seconds per 1k orders = milliseconds per order
        double perOrderMicros = ingest.get().netCpuSecondsPer1kOrders() * 1000;
        double share = chain.get() / perOrderMicros;
        return Optional.of(String.format(
                "token validation: %.1f µs per request (JMH, security filter chain, token cache on; %s) = %.1f %% of"
                        + " ingest-api's CPU per order (%.0f µs, net of idle, %s): %s the 10 %% bound",
                chain.get(),
                context,
                100 * share,
                perOrderMicros,
                report.resourcesPhase,
                share <= BOUND ? "within" : "ABOVE"));
    }

    private static Optional<Double> micros(Report report, String benchmark) {
        return report.jmh.stream()
                .filter(j -> j.benchmark().equals(benchmark) && "us/op".equals(j.unit()))
                .map(Report.Jmh::score)
                .findFirst();
    }
}
