package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackHomeTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondLauncherOnTheSameDirectory() {
        // given a launcher that owns the directory
        try (StackHome first = StackHome.open(dir.resolve(".local-stack"))) {

            // when / then another one tries
            assertThatThrownBy(() -> StackHome.open(dir.resolve(".local-stack")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Another local stack is running")
                    .hasMessageContaining(Long.toString(ProcessHandle.current().pid()));
        }

        // and once it has let go, the directory is free again
        StackHome.open(dir.resolve(".local-stack")).close();
    }

    @Test
    void shouldWipeEverythingButTheLockOnReset() throws Exception {
        // given state of an earlier run
        Path home = dir.resolve(".local-stack");
        Files.createDirectories(home.resolve("kafka/kraft-combined-logs"));
        Files.writeString(home.resolve("kafka/kraft-combined-logs/meta.properties"), "cluster.id=x");
        Files.createDirectories(home.resolve("logs"));
        Files.writeString(home.resolve("logs/kafka.log"), "old");

        // when
        try (StackHome stack = StackHome.open(home)) {
            stack.reset();
        }

        // then
        try (var left = Files.list(home)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".lock");
        }
    }

    @Test
    void shouldStopLeftoversOfAnEarlierRunAndNothingElse() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "needs procfs");
        // given a JVM whose command line names the directory (as a killed launcher's children do), a JVM elsewhere,
        // and a user's tail of a log in the directory
        Path home = dir.resolve(".local-stack");
        Files.createDirectories(home.resolve("logs"));
        Path log = Files.writeString(home.resolve("logs/kafka.log"), "");
        Process leftover = sleepingJvm(Files.createDirectories(home.resolve("kafka")));
        Process unrelated = sleepingJvm(Files.createDirectories(dir.resolve("elsewhere")));
        Process tail = new ProcessBuilder("tail", "-f", log.toString()).start();
        try (StackHome stack = StackHome.open(home)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            // when
            stack.stopLeftovers(new PrintStream(out, true, StandardCharsets.UTF_8));

            // then only the leftover is gone, and the launcher said so
            assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(unrelated.isAlive()).isTrue();
            assertThat(tail.isAlive()).isTrue();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Stopping pid " + leftover.pid());
        } finally {
            StackHome.stop(leftover.toHandle(), Duration.ofSeconds(5));
            StackHome.stop(unrelated.toHandle(), Duration.ofSeconds(5));
            StackHome.stop(tail.toHandle(), Duration.ofSeconds(5));
        }
    }

    /**
     * A JVM that idles (blocked reading its stdin, which the test never writes or closes) with {@code where} in its
     * command line; returned once it has printed that it is up.
     */
    private static Process sleepingJvm(Path where) throws Exception {
        Path source = Files.writeString(
                where.resolve("Sleeper.java"),
                "class Sleeper { public static void main(String[] a) throws Exception {"
                        + " System.out.println(\"sleeping\"); System.in.read(); } }");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx16m",
                        source.toString())
                .redirectErrorStream(true)
                .start();
        // the single-file launcher compiles first; wait until main runs
        assertThat(new java.io.BufferedReader(
                                new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                        .readLine())
                .isEqualTo("sleeping");
        return process;
    }
}
