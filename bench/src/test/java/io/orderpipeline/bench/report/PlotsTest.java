package io.orderpipeline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteDatedPlotsAndTheStableLatestNamesOnlyWhenAsked() throws Exception {
        // given a report with a POST point and a half-load distribution
        Report report = new Report();
        Histogram h = new Histogram(120_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 100L); // 0.1 .. 100 ms
        }
        Plots.loadPoint(report, Plots.E2E_LATENCY, 800, h);
        Plots.distribution(report, "e2e push", h);

        // when: a quick run
        Plots.write(report, dir, "2026-12-01-quick", false);

        // then: three dated files, no latest-*, and the Markdown links them
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder(
                        "2026-12-01-quick-post-latency.svg",
                        "2026-12-01-quick-e2e-latency.svg",
                        "2026-12-01-quick-half-load-latency.svg");
        assertThat(report.toMarkdown())
                .contains("![2026-12-01-quick-e2e-latency.svg](2026-12-01-quick-e2e-latency.svg)");
        assertThat(report.points(Plots.E2E_LATENCY, "p99"))
                .containsExactly(new Report.Point(800, h.getValueAtPercentile(99) / 1000.0));
        assertThat(report.points(Plots.HALF_LOAD, "e2e push")).hasSize(81);
        assertThat(report.points(Plots.HALF_LOAD, "e2e push").get(80).x())
                .isCloseTo(99.99, org.assertj.core.data.Offset.offset(1e-9));

        // when: a full run
        Plots.write(report, dir, "2026-12-01", true);

        // then
        assertThat(dir.resolve("latest-e2e-latency.svg")).exists();
        assertThat(Files.readString(dir.resolve("latest-e2e-latency.svg")))
                .isEqualTo(Files.readString(dir.resolve("2026-12-01-e2e-latency.svg")))
                .contains("<polyline");
        assertThat(Files.readString(dir.resolve("latest-post-latency.svg"))).contains("no data in this run");
    }

    @Test
    void shouldSkipEmptyHistograms() {
        Report report = new Report();
        Plots.loadPoint(report, Plots.POST_LATENCY, 100, new Histogram(3));
        Plots.distribution(report, "none", new Histogram(3));
        assertThat(report.series).isEmpty();
    }
}
