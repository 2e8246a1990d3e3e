package io.orderpipeline.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as a standalone SVG document (plain text, no dependency): latency on a logarithmic y axis, against
 * either a linear x axis (offered load) or HdrHistogram's percentile axis, where x = log10(100 / (100 - p)) spreads
 * 0, 90, 99, 99.9 and 99.99 evenly so the tail is visible. Points that cannot be drawn (NaN, latency ≤ 0, percentile
 * ≥ 100) are left out; a chart without any point says so instead of drawing empty axes.
 */
public final class SvgPlot {

    /** How the x axis maps values. */
    public enum XAxis {
        LINEAR,
        PERCENTILE
    }

    /** One curve; points on a linear axis are drawn in x order. */
    public record Line(String name, List<Report.Point> points) {}

    /** A horizontal reference line, e.g. a service level. */
    public record Threshold(String label, double y) {}

    /** Everything on one chart. */
    public record Chart(
            String title, String xLabel, String yLabel, XAxis xAxis, List<Line> lines, List<Threshold> thresholds) {}

    static final int WIDTH = 760;
    static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 44;
    private static final int BOTTOM = 56;
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final double MAX_PERCENTILE = 99.99;

    private SvgPlot() {}

    /** The chart as an SVG document. */
    public static String render(Chart chart) {
        List<Line> lines = chart.lines().stream()
                .map(l -> new Line(l.name(), drawable(l.points(), chart.xAxis())))
                .filter(l -> !l.points().isEmpty())
                .toList();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">\n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 22, "middle", 15, chart.title());
        if (lines.isEmpty()) {
            text(svg, WIDTH / 2.0, HEIGHT / 2.0, "middle", 13, "no data in this run");
            return svg.append("</svg>\n").toString();
        }
        double[] xRange = xRange(lines, chart.xAxis());
        double[] yRange = yRange(lines, chart.thresholds());
        Frame frame = new Frame(xRange[0], xRange[1], Math.log10(yRange[0]), Math.log10(yRange[1]), chart.xAxis());
        axes(svg, chart, frame, yRange);
        for (Threshold t : chart.thresholds()) {
            double y = frame.py(t.y());
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"6,4\"/>\n",
                    (double) LEFT,
                    y,
                    (double) (WIDTH - RIGHT),
                    y));
            text(svg, WIDTH - RIGHT - 4, y - 4, "end", 11, t.label());
        }
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (Report.Point p : line.points()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", frame.px(p.x()), frame.py(p.y())));
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(colour)
                    .append("\" points=\"")
                    .append(points.toString().trim())
                    .append("\"/>\n");
            if (chart.xAxis() == XAxis.LINEAR) {
                for (Report.Point p : line.points()) {
                    svg.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                            frame.px(p.x()),
                            frame.py(p.y()),
                            colour));
                }
            }
            double ly = TOP + 14 + 20 * i;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
                    WIDTH - RIGHT + 14,
                    ly - 4,
                    WIDTH - RIGHT + 38,
                    ly - 4,
                    colour));
            text(svg, WIDTH - RIGHT + 44, ly, "start", 12, line.name());
        }
        return svg.append("</svg>\n").toString();
    }

    /** The points that can be drawn, in x order on a linear axis. */
    static List<Report.Point> drawable(List<Report.Point> points, XAxis axis) {
        List<Report.Point> kept = new ArrayList<>();
        for (Report.Point p : points) {
            boolean xOk = !Double.isNaN(p.x())
                    && !Double.isInfinite(p.x())
                    && (axis == XAxis.LINEAR || (p.x() >= 0 && p.x() <= MAX_PERCENTILE));
            if (xOk && !Double.isNaN(p.y()) && !Double.isInfinite(p.y()) && p.y() > 0) {
                kept.add(p);
            }
        }
        if (axis == XAxis.LINEAR) {
            kept.sort(Comparator.comparingDouble(Report.Point::x));
        }
        return kept;
    }

    /** x = log10(100 / (100 - p)): 0 -> 0, 90 -> 1, 99 -> 2, 99.9 -> 3, 99.99 -> 4. */
    static double percentileX(double percentile) {
        return Math.log10(100 / (100 - percentile));
    }

    private static double[] xRange(List<Line> lines, XAxis axis) {
        if (axis == XAxis.PERCENTILE) {
            return new double[] {0, percentileX(MAX_PERCENTILE)};
        }
        double max = lines.stream()
                .flatMap(l -> l.points().stream())
                .mapToDouble(Report.Point::x)
                .max()
                .orElse(1);
        return new double[] {0, niceCeiling(max)};
    }

    private static double[] yRange(List<Line> lines, List<Threshold> thresholds) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Line l : lines) {
            for (Report.Point p : l.points()) {
                min = Math.min(min, p.y());
                max = Math.max(max, p.y());
            }
        }
        for (Threshold t : thresholds) {
            if (t.y() > 0) {
                min = Math.min(min, t.y());
                max = Math.max(max, t.y());
            }
        }
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        return new double[] {lo, hi > lo ? hi : lo * 10};
    }

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * decade >= v * 0.999999) {
                return m * decade;
            }
        }
        return 10 * decade;
    }

    private static void axes(StringBuilder svg, Chart chart, Frame f, double[] yRange) {
        int bottom = HEIGHT - BOTTOM;
        int right = WIDTH - RIGHT;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
                LEFT,
                TOP,
                right - LEFT,
                bottom - TOP));
        // y: 1, 2 and 5 of each decade, grid lines on decades
        for (double decade = yRange[0]; decade < yRange[1] * 1.0001; decade *= 10) {
            for (double m : new double[] {1, 2, 5}) {
                double v = decade * m;
                if (v > yRange[1] * 1.0001) {
                    break;
                }
                double y = f.py(v);
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                        LEFT,
                        y,
                        right,
                        y,
                        m == 1 ? "#ddd" : "#f2f2f2"));
                text(svg, LEFT - 6, y + 4, "end", 11, number(v));
            }
        }
        if (chart.xAxis() == XAxis.PERCENTILE) {
            String[] labels = {"0", "90", "99", "99.9", "99.99"};
            for (int i = 0; i < labels.length; i++) {
                tickX(svg, f.axisPx(i), bottom, labels[i] + "%");
            }
        } else {
            double step = niceCeiling(f.xMax / 6);
            for (double v = 0; v <= f.xMax * 1.0001; v += step) {
                tickX(svg, f.px(v), bottom, number(v));
            }
        }
        text(svg, (LEFT + right) / 2.0, HEIGHT - 14, "middle", 12, chart.xLabel());
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>\n",
                (TOP + bottom) / 2.0,
                (TOP + bottom) / 2.0,
                escape(chart.yLabel())));
    }

    private static void tickX(StringBuilder svg, double x, int bottom, String label) {
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>\n",
                x,
                TOP,
                x,
                bottom));
        text(svg, x, bottom + 16, "middle", 11, label);
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String text) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n",
                x,
                y,
                anchor,
                size,
                escape(text)));
    }

    static String number(double v) {
        if (v >= 1 && v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /** Data to pixel coordinates. */
    private record Frame(double xMin, double xMax, double logYMin, double logYMax, XAxis axis) {
        /** A data value (a rate, or a percentile) to pixels. */
        double px(double x) {
            return axisPx(axis == XAxis.PERCENTILE ? percentileX(x) : x);
        }

        /** A position on the axis itself (for the percentile axis: 0..4) to pixels. */
        double axisPx(double v) {
            return LEFT + (v - xMin) / (xMax - xMin) * (WIDTH - RIGHT - LEFT);
        }

        double py(double y) {
            double v = Math.log10(y);
            return HEIGHT - BOTTOM - (v - logYMin) / (logYMax - logYMin) * (HEIGHT - BOTTOM - TOP);
        }
    }
}
