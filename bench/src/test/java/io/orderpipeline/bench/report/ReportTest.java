package io.orderpipeline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void shouldPrintEachFigureWithItsBaselineAndRatio() {
        // given
        Report report = new Report();
        report.environment.put("date", "2026-11-21 20:00 UTC");
        report.add(new Report.Row(
                "1 ingest", "POST max sustained rate", 4200, "req/s", 84000.0, "Kafka producer", true, "steps"));
        report.row("5 recovery", "lost orders", 0, "orders", "must be 0");
        // when
        String md = report.toMarkdown();
        // then
        assertThat(md)
                .contains("| 1 ingest | POST max sustained rate | 4,200 req/s | 84,000 req/s (Kafka producer) | 0.05 |")
                .contains("| 5 recovery | lost orders | 0 orders |  |  | must be 0 |");
    }

    @Test
    void shouldLeaveRatioEmptyWithoutBaselineOrValue() {
        // given / when / then
        assertThat(new Report.Row("f", "m", Double.NaN, "ms", 3.0, "b", false, null).ratio())
                .isNull();
        assertThat(new Report.Row("f", "m", 6, "ms", 3.0, "b", false, null).ratio())
                .isEqualTo(2.0);
        assertThat(new Report.Row("f", "m", 6, "ms", null, null, false, null).ratio())
                .isNull();
    }
}
