package io.orderpipeline.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one bench run measured, and its rendering as the Markdown table that is printed and written to {@code
 * bench/results/<date>.md}. Mutable while the run goes on; serialized as JSON between the stack phases and the JMH
 * phase (which runs after the stack is stopped).
 */
public final class Report {

    /**
     * One figure, with its baseline when it has one.
     *
     * @param figure issue 6's figure number and name, e.g. "1 ingest"
     * @param baseline same-run baseline value in the same unit, or null
     * @param higherIsBetter whether a ratio above 1 is good (throughput) or bad (latency)
     */
    public record Row(
            String figure,
            String metric,
            double value,
            String unit,
            Double baseline,
            String baselineName,
            boolean higherIsBetter,
            String note) {

        public Double ratio() {
            return baseline == null || baseline == 0 || baseline.isNaN() || Double.isNaN(value)
                    ? null
                    : value / baseline;
        }
    }

    /** CPU and memory of one process. */
    public record Resource(
            String process,
            String jdk,
            double cpuSecondsPer1kOrders,
            double netCpuSecondsPer1kOrders,
            double idleCpuPercent,
            double rssMiB,
            double peakRssMiB) {}

    /** One point of a plotted series. */
    public record Point(double x, double y) {}

    /**
     * A named curve of one plot ({@link Plots}): e.g. plot {@code e2e-latency}, name {@code p99}, x = offered rate,
     * y = milliseconds.
     */
    public record Series(String plot, String name, List<Point> points) {}

    /** One JMH result. */
    public record Jmh(String benchmark, String mode, double score, double error, String unit) {}

    public Map<String, String> environment = new LinkedHashMap<>();
    public List<Row> rows = new ArrayList<>();
    public List<Resource> resources = new ArrayList<>();
    public String resourcesPhase = "";
    public List<Jmh> jmh = new ArrayList<>();
    public List<String> notes = new ArrayList<>();
    /** JFR summaries per service (BENCH_JFR=1), and the phase they cover. */
    public Map<String, List<String>> profiles = new LinkedHashMap<>();

    public String profilePhase = "";
    /** Curves for the plots, collected by the phases. */
    public List<Series> series = new ArrayList<>();
    /** SVG files written beside the table (names relative to the results directory). */
    public List<String> plots = new ArrayList<>();

    public void add(Row row) {
        rows.add(row);
    }

    public void row(String figure, String metric, double value, String unit, String note) {
        rows.add(new Row(figure, metric, value, unit, null, null, true, note));
    }

    public void note(String note) {
        notes.add(note);
    }

    /** Adds a point to series {@code name} of {@code plot} (created on first use). */
    public synchronized void point(String plot, String name, double x, double y) {
        Series target = series.stream()
                .filter(s -> s.plot().equals(plot) && s.name().equals(name))
                .findFirst()
                .orElse(null);
        if (target == null) {
            target = new Series(plot, name, new ArrayList<>());
            series.add(target);
        }
        target.points().add(new Point(x, y));
    }

    /** The points of series {@code name} of {@code plot}, empty when there is none. */
    public List<Point> points(String plot, String name) {
        return series.stream()
                .filter(s -> s.plot().equals(plot) && s.name().equals(name))
                .findFirst()
                .map(Series::points)
                .orElse(List.of());
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Bench run ").append(environment.getOrDefault("date", "")).append("\n\n");
        environment.forEach((k, v) -> {
            if (!k.equals("date")) {
                md.append("- ").append(k).append(": ").append(v).append('\n');
            }
        });
        md.append("\n| figure | metric | value | baseline (same run) | ratio | note |\n");
        md.append("|---|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            md.append("| ")
                    .append(r.figure())
                    .append(" | ")
                    .append(r.metric())
                    .append(" | ")
                    .append(num(r.value()))
                    .append(' ')
                    .append(r.unit())
                    .append(" | ")
                    .append(
                            r.baseline() == null
                                    ? ""
                                    : num(r.baseline()) + " " + r.unit() + " (" + r.baselineName() + ")")
                    .append(" | ")
                    .append(r.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", r.ratio()))
                    .append(" | ")
                    .append(r.note() == null ? "" : r.note())
                    .append(" |\n");
        }
        if (!resources.isEmpty()) {
            md.append("\nCPU and memory per process (CPU during ")
                    .append(resourcesPhase)
                    .append(
                            ")\n\n| process | JDK | CPU-s per 1k orders | same, net of idle | idle CPU % of a core | RSS MiB |"
                                    + " peak RSS MiB |\n|---|---|---:|---:|---:|---:|---:|\n");
            for (Resource r : resources) {
                md.append("| ")
                        .append(r.process())
                        .append(" | ")
                        .append(r.jdk())
                        .append(" | ")
                        .append(num(r.cpuSecondsPer1kOrders()))
                        .append(" | ")
                        .append(num(r.netCpuSecondsPer1kOrders()))
                        .append(" | ")
                        .append(num(r.idleCpuPercent()))
                        .append(" | ")
                        .append(num(r.rssMiB()))
                        .append(" | ")
                        .append(num(r.peakRssMiB()))
                        .append(" |\n");
            }
        }
        if (!jmh.isEmpty()) {
            md.append("\nJMH micro-benchmarks (1 fork, short iterations: indicative)\n\n"
                    + "| benchmark | mode | score | error | unit |\n|---|---|---:|---:|---|\n");
            for (Jmh j : jmh) {
                md.append("| ")
                        .append(j.benchmark())
                        .append(" | ")
                        .append(j.mode())
                        .append(" | ")
                        .append(num(j.score()))
                        .append(" | ")
                        .append(Double.isNaN(j.error()) ? "" : "± " + num(j.error()))
                        .append(" | ")
                        .append(j.unit())
                        .append(" |\n");
            }
        }
        if (!profiles.isEmpty()) {
            md.append("\nProfile (JFR, ").append(profilePhase).append(")\n\n");
            profiles.forEach((service, lines) -> {
                md.append("- ")
                        .append(service)
                        .append(": ")
                        .append(lines.get(0))
                        .append('\n');
                lines.subList(1, lines.size())
                        .forEach(l -> md.append("  - ").append(l).append('\n'));
            });
        }
        if (!plots.isEmpty()) {
            md.append("\nPlots\n\n");
            plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n"));
        }
        if (!notes.isEmpty()) {
            md.append("\nNotes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    /** Three significant figures, no scientific notation for the magnitudes we see. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
