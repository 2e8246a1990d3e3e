package io.orderpipeline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCostTest {

    @Test
    void shouldStateTheValidationCostAsAShareOfIngestsCpuPerOrder() {
        // given 40 µs per validation and ingest-api at 0.5 CPU-s per 1k orders (500 µs per order)
        Report report = new Report();
        report.jmh.add(new Report.Jmh(TokenCost.BENCHMARK, "avgt", 40, 1, "us/op"));
        report.resources.add(new Report.Resource("ingest-api (pid 1)", "17", 0.6, 0.5, 1, 300, 310));
        report.resourcesPhase = "e2e, 10000 orders";

        // when / then
        assertThat(TokenCost.describe(report))
                .hasValueSatisfying(note -> assertThat(note).contains("40.0 µs", "8.0 %", "500 µs", "within"));
    }

    @Test
    void shouldSayWhenTheShareIsAboveTheBound() {
        Report report = new Report();
        report.jmh.add(new Report.Jmh(TokenCost.BENCHMARK, "avgt", 60, 1, "us/op"));
        report.resources.add(new Report.Resource("ingest-api (pid 1)", "17", 0.6, 0.5, 1, 300, 310));

        assertThat(TokenCost.describe(report))
                .hasValueSatisfying(note -> assertThat(note).contains("12.0 %", "ABOVE"));
    }

    @Test
    void shouldSayNothingWithoutTheBenchmarkAndOnlyTheCostWithoutIngestsCpu() {
        Report report = new Report();
        assertThat(TokenCost.describe(report)).isEmpty();

        report.jmh.add(new Report.Jmh(TokenCost.BENCHMARK, "avgt", 40, 1, "us/op"));
        assertThat(TokenCost.describe(report))
                .hasValueSatisfying(note -> assertThat(note).contains("40.0 µs", "no ingest-api CPU"));
    }
}
