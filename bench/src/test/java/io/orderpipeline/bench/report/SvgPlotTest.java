package io.orderpipeline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgPlotTest {

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        return java.util.stream.IntStream.range(0, nodes.getLength())
                .mapToObj(i -> nodes.item(i).getTextContent())
                .toList();
    }

    @Test
    void shouldDrawOneLinePerSeriesInRateOrderWithLegendAndThreshold() throws Exception {
        // given p50 and p99 against load, points out of order as a rate search produces them
        var chart = new SvgPlot.Chart(
                "e2e <latency> & load",
                "offered rate (orders/s)",
                "latency (ms)",
                SvgPlot.XAxis.LINEAR,
                List.of(
                        new SvgPlot.Line(
                                "p50",
                                List.of(
                                        new Report.Point(1000, 40),
                                        new Report.Point(500, 30),
                                        new Report.Point(1500, 90))),
                        new SvgPlot.Line(
                                "p99",
                                List.of(
                                        new Report.Point(1000, 120),
                                        new Report.Point(500, 80),
                                        new Report.Point(1500, 900)))),
                List.of(new SvgPlot.Threshold("p99 250 ms", 250)));

        // when
        Document doc = parse(SvgPlot.render(chart));

        // then: well-formed, escaped title, two polylines of three points each, x increasing along each line
        NodeList lines = doc.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(2);
        for (int i = 0; i < lines.getLength(); i++) {
            String[] points = ((Element) lines.item(i)).getAttribute("points").split(" ");
            assertThat(points).hasSize(3);
            double previous = Double.NEGATIVE_INFINITY;
            for (String p : points) {
                double x = Double.parseDouble(p.split(",")[0]);
                assertThat(x).isGreaterThan(previous);
                previous = x;
            }
        }
        assertThat(texts(doc)).contains("e2e <latency> & load", "p50", "p99", "p99 250 ms", "offered rate (orders/s)");
        // a log y axis from 10 to 1,000 ms: decade labels present
        assertThat(texts(doc)).contains("10", "100", "1,000");
    }

    @Test
    void shouldSpreadPercentilesOnALogAxisAndHigherLatencyHigherUp() throws Exception {
        // given a distribution from p0 to p99.99
        var points = List.of(
                new Report.Point(0, 1),
                new Report.Point(90, 10),
                new Report.Point(99, 100),
                new Report.Point(99.99, 1000));
        var chart = new SvgPlot.Chart(
                "dist",
                "percentile",
                "ms",
                SvgPlot.XAxis.PERCENTILE,
                List.of(new SvgPlot.Line("e2e", points)),
                List.of());

        // when
        Document doc = parse(SvgPlot.render(chart));

        // then: 0, 90, 99 and 99.99 % are evenly spaced (log10 of 1/(1-p)) and larger values are drawn higher (lower y)
        String[] xy = ((Element) doc.getElementsByTagName("polyline").item(0))
                .getAttribute("points")
                .split(" ");
        double[] x = new double[xy.length];
        double[] y = new double[xy.length];
        for (int i = 0; i < xy.length; i++) {
            x[i] = Double.parseDouble(xy[i].split(",")[0]);
            y[i] = Double.parseDouble(xy[i].split(",")[1]);
        }
        assertThat(x[1] - x[0]).isCloseTo(x[2] - x[1], org.assertj.core.data.Offset.offset(0.2));
        assertThat(x[3] - x[2]).isCloseTo(2 * (x[2] - x[1]), org.assertj.core.data.Offset.offset(0.2));
        assertThat(y[0]).isGreaterThan(y[1]);
        assertThat(y[1]).isGreaterThan(y[2]);
        assertThat(texts(doc)).contains("0%", "90%", "99%", "99.9%", "99.99%");
        assertThat(SvgPlot.percentileX(99.9)).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldLeaveOutPointsThatCannotBeDrawnAndSaySoWhenNoneIsLeft() throws Exception {
        // given only NaN and zero latencies
        var chart = new SvgPlot.Chart(
                "empty",
                "x",
                "y",
                SvgPlot.XAxis.LINEAR,
                List.of(new SvgPlot.Line("p99", List.of(new Report.Point(100, Double.NaN), new Report.Point(200, 0)))),
                List.of());

        // when
        Document doc = parse(SvgPlot.render(chart));

        // then
        assertThat(doc.getElementsByTagName("polyline").getLength()).isZero();
        assertThat(texts(doc)).contains("no data in this run");
        assertThat(SvgPlot.drawable(
                        List.of(new Report.Point(100, 100.01), new Report.Point(1, 2)), SvgPlot.XAxis.PERCENTILE))
                .containsExactly(new Report.Point(1, 2));
    }

    @Test
    void shouldRoundAxisEndsToOneTwoOrFive() {
        assertThat(SvgPlot.niceCeiling(1_730)).isEqualTo(2_000);
        assertThat(SvgPlot.niceCeiling(4_100)).isEqualTo(5_000);
        assertThat(SvgPlot.niceCeiling(5_000)).isEqualTo(5_000);
        assertThat(SvgPlot.niceCeiling(7_000)).isEqualTo(10_000);
    }
}
