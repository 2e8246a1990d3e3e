package io.orderpipeline.bench;

import io.orderpipeline.bench.report.Report;
import io.orderpipeline.bench.stack.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the JMH benchmarks of {@code src/jmh/java} in a child JVM (which forks its own) and adds their scores. */
final class JmhRunner {

    private JmhRunner() {}

    static void run(BenchSettings settings, Report report) throws Exception {
        Path json = settings.workDir().resolve("jmh.json");
        Files.deleteIfExists(json);
        List<String> args = new ArrayList<>(settings.plan().jmhArgs());
        args.addAll(List.of(
                "-rf", "json", "-rff", json.toString(), "-jvmArgsAppend", "-Xmx512m", "io.orderpipeline.bench.jmh"));
        Path log = settings.workDir().resolve("logs").resolve("jmh.log");
        try (ChildJvm jmh = ChildJvm.start(List.of("-Xmx256m"), "org.openjdk.jmh.Main", args, log)) {
            if (!jmh.awaitExit(Duration.ofMinutes(20)) || !Files.exists(json)) {
                report.note("jmh: no result; see " + log);
                return;
            }
        }
        JsonNode results = JsonMapper.builder().build().readTree(json.toFile());
        for (JsonNode r : results) {
            String name = r.get("benchmark").asString().replace("io.orderpipeline.bench.jmh.", "");
            JsonNode params = r.get("params");
            if (params != null && params.size() > 0) {
                List<String> p = new ArrayList<>();
                params.properties()
                        .forEach(e -> p.add(e.getKey() + "=" + e.getValue().asString()));
                name += " " + String.join(",", p);
            }
            JsonNode metric = r.get("primaryMetric");
            double error = metric.get("scoreError").isNumber()
                    ? metric.get("scoreError").asDouble()
                    : Double.NaN;
            report.jmh.add(new Report.Jmh(
                    name,
                    r.get("mode").asString(),
                    metric.get("score").asDouble(),
                    error,
                    metric.get("scoreUnit").asString()));
        }
    }
}
