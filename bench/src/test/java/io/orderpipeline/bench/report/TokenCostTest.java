package io.orderpipeline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCostTest {

    @Test
    void shouldStateTheValidationCostAsAShareOfIngestsCpuPerOrder() {
        // given 40 µs per request through the cached chain and ingest-api at 0.5 CPU-s per 1k orders (500 µs per order)
        Report report = new Report();
        report.jmh.add(new Report.Jmh(TokenCost.CHAIN, "avgt", 40, 1, "us/op"));
        report.resources.add(new Report.Resource("ingest-api (pid 1)", "17", 0.6, 0.5, 1, 300, 310));
        report.resourcesPhase = "e2e, 10000 orders";

        // when / then
        assertThat(TokenCost.describe(report))
                .hasValueSatisfying(note -> assertThat(note).contains("40.0 µs", "8.0 %", "500 µs", "within"));
    }

    @Test
    void shouldNameTheUncachedAndBareFiguresBesideTheCachedOne() {
        Report report = new Report();
        report.jmh.add(new Report.Jmh(TokenCost.CHAIN, "avgt", 9, 1, "us/op"));
        report.jmh.add(new Report.Jmh(TokenCost.CHAIN_UNCACHED, "avgt", 70, 1, "us/op"));
        report.jmh.add(new Report.Jmh(TokenCost.VALIDATION, "avgt", 51, 1, "us/op"));

        assertThat(TokenCost.describe(report))
                .hasValueSatisfying(note -> assertThat(note).contains("9.0 µs", "uncached chain 70.0 µs", "51.0 µs"));
    }

    @Test
    void shouldSayWhenTheShareIsAboveTheBound() {
        Report report = new Report();
        report.jmh.add(new Report.Jmh(TokenCost.CHAIN, "avgt", 60, 1, "us/op"));
        report.resources.add(new Report.Resource("ingest-api (pid 1)", "17", 0.6, 0.5, 1, 300, 310));

        assertThat(TokenCost.describe(report))
                .hasValueSatisfying(note -> assertThat(note).contains("12.0 %", "ABOVE"));
    }

    @Test
    void shouldSayNothingWithoutTheBenchmarkAndOnlyTheCostWithoutIngestsCpu() {
        Report report = new Report();
        assertThat(TokenCost.describe(report)).isEmpty();

        report.jmh.add(new Report.Jmh(TokenCost.CHAIN, "avgt", 40, 1, "us/op"));
        assertThat(TokenCost.describe(report))
                .hasValueSatisfying(note -> assertThat(note).contains("40.0 µs", "no ingest-api CPU"));
    }
}
