package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RssTest {

    @Test
    void shouldReadResidentSetAndCpuTimeOfALiveProcess() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs procfs");
        // given this JVM
        long self = ProcessHandle.current().pid();

        // when / then: a JVM that ran tests has megabytes resident and has used CPU
        assertThat(Rss.kib(self).orElseThrow()).isGreaterThan(10_000);
        assertThat(Rss.cpuSeconds(self).orElseThrow()).isGreaterThan(0.0);
    }

    @Test
    void shouldReportNothingForAProcessThatIsGone() {
        // given a pid that no process has (pid_max is at most 2^22)
        long gone = 1L << 23;

        // when / then
        assertThat(Rss.kib(gone)).isEmpty();
        assertThat(Rss.cpuSeconds(gone)).isEmpty();
        assertThat(Rss.format(Rss.kib(gone))).isEqualTo("n/a");
    }
}
