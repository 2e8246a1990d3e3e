package io.orderpipeline.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The plots beside the table: what each one shows, where its curves come from, and the files it is written to. Each
 * plot goes to {@code <stem>-<name>.svg} (the run's dated copy, {@code stem} being the results file's name) and, for
 * full runs, also to {@code latest-<name>.svg}, the stable name the README embeds.
 */
public final class Plots {

    /** POST /orders latency percentiles against the offered rate (ingest's search steps and fixed levels). */
    public static final String POST_LATENCY = "post-latency";
    /** POST -> STOMP PLACED push percentiles against the offered rate (e2e row and the sustained-rate search). */
    public static final String E2E_LATENCY = "e2e-latency";
    /** The latency distribution at half load: percentile (log scale) -> latency. */
    public static final String HALF_LOAD = "half-load-latency";

    /** Percentiles drawn against load, with their series names. */
    public static final double[] LOAD_PERCENTILES = {50, 90, 99};

    private Plots() {}

    /** Series name of percentile {@code p} on the load plots ("p50", "p99.9"). */
    public static String name(double p) {
        return "p" + SvgPlot.number(p);
    }

    /** Adds p50/p90/p99 of {@code histogram} (microseconds) at {@code offered} to {@code plot}. */
    public static void loadPoint(Report report, String plot, double offered, Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return;
        }
        for (double p : LOAD_PERCENTILES) {
            report.point(plot, name(p), offered, histogram.getValueAtPercentile(p) / 1000.0);
        }
    }

    /**
     * Adds the percentile curve of {@code histogram} (microseconds) to the half-load plot as series {@code name}:
     * 81 points from the 0th to the 99.99th percentile, evenly spaced on the plot's log axis.
     */
    public static void distribution(Report report, String name, Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return;
        }
        for (int k = 0; k <= 80; k++) {
            double p = 100 * (1 - Math.pow(10, -k / 20.0));
            report.point(HALF_LOAD, name, p, histogram.getValueAtPercentile(p) / 1000.0);
        }
    }

    /** The charts of a report (those without data say so). */
    static List<SvgPlot.Chart> charts(Report report) {
        return List.of(
                new SvgPlot.Chart(
                        "POST /orders latency against offered load (open model)",
                        "offered rate (requests/s)",
                        "latency from intended send (ms)",
                        SvgPlot.XAxis.LINEAR,
                        lines(report, POST_LATENCY),
                        List.of(new SvgPlot.Threshold("SLO p99 100 ms", 100))),
                new SvgPlot.Chart(
                        "POST -> STOMP push of PLACED against offered load",
                        "offered rate (orders/s)",
                        "latency from intended send (ms)",
                        SvgPlot.XAxis.LINEAR,
                        lines(report, E2E_LATENCY),
                        List.of(new SvgPlot.Threshold("sustained: p99 250 ms", 250))),
                new SvgPlot.Chart(
                        "Latency distribution at half load (HdrHistogram)",
                        "percentile",
                        "latency (ms)",
                        SvgPlot.XAxis.PERCENTILE,
                        lines(report, HALF_LOAD),
                        List.of()));
    }

    private static List<SvgPlot.Line> lines(Report report, String plot) {
        return report.series.stream()
                .filter(s -> s.plot().equals(plot))
                .map(s -> new SvgPlot.Line(s.name(), s.points()))
                .toList();
    }

    /** File names (without directory) of the plots: {@code <stem>-<plot>.svg}. */
    static List<String> names(String stem) {
        return List.of(
                stem + "-" + POST_LATENCY + ".svg", stem + "-" + E2E_LATENCY + ".svg", stem + "-" + HALF_LOAD + ".svg");
    }

    /**
     * Writes every plot into {@code dir} as {@code <stem>-<plot>.svg}, and as {@code latest-<plot>.svg} too when
     * {@code latest}; records the dated names in the report (its Markdown links them) and returns every file written.
     */
    public static List<Path> write(Report report, Path dir, String stem, boolean latest) throws IOException {
        Files.createDirectories(dir);
        List<SvgPlot.Chart> charts = charts(report);
        List<String> dated = names(stem);
        List<String> stable = names("latest");
        List<Path> written = new ArrayList<>();
        report.plots.clear();
        for (int i = 0; i < charts.size(); i++) {
            String svg = SvgPlot.render(charts.get(i));
            written.add(Files.writeString(dir.resolve(dated.get(i)), svg));
            report.plots.add(dated.get(i));
            if (latest) {
                written.add(Files.writeString(dir.resolve(stable.get(i)), svg));
            }
        }
        return written;
    }
}
