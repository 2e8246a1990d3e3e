package io.orderpipeline.bench.profile;

import io.orderpipeline.bench.stack.Stack;
import io.orderpipeline.infra.Jvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profiles the running services with JDK Flight Recorder through {@code jcmd} (no launch flags needed): a recording
 * with the {@code profile} settings is started on each service for the length of one phase, dumped, and summarized
 * by {@link JfrTop}. Enabled with {@code BENCH_JFR=1}; recordings stay in {@code bench/target/run/jfr}.
 */
public final class JfrProfiler {

    private static final Logger log = LoggerFactory.getLogger(JfrProfiler.class);
    private static final String NAME = "bench";

    private final Path dir;
    private final Map<String, Long> pids = new LinkedHashMap<>();

    public JfrProfiler(Path dir) {
        this.dir = dir;
    }

    /** Starts a recording on every process of {@code stack} (broker and venue included). */
    public void start(Stack stack) {
        pids.clear();
        for (Stack.Member m : stack.members()) {
            if (m.running() && jcmd(m.pid(), "JFR.start", "name=" + NAME, "settings=profile")) {
                pids.put(m.name(), m.pid());
            }
        }
    }

    /** Dumps and stops the recordings; returns the top frames of each service, one block of lines per service. */
    public Map<String, List<String>> stopAndSummarize(int top) {
        Map<String, List<String>> summaries = new LinkedHashMap<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        pids.forEach((name, pid) -> {
            Path file = dir.resolve(name + ".jfr").toAbsolutePath();
            if (jcmd(pid, "JFR.stop", "name=" + NAME, "filename=" + file) && Files.exists(file)) {
                try {
                    summaries.put(name, JfrTop.summarize(file, top));
                } catch (IOException e) {
                    log.warn("cannot read {}: {}", file, e.toString());
                }
            }
        });
        return summaries;
    }

    private static boolean jcmd(long pid, String... command) {
        List<String> args = new ArrayList<>();
        args.add(Path.of(Jvm.javaExecutable()).resolveSibling("jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            boolean ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                log.warn("jcmd {} {} failed: {}", pid, String.join(" ", command), out.trim());
            }
            return ok;
        } catch (IOException e) {
            log.warn("jcmd not usable: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
