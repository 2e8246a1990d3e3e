package io.orderpipeline.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.topology.StreamsDefaults;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitIntervalTest {

    @Test
    void shouldUseTheProcessorDefaultWhenNothingOverridesIt() {
        // given a processor started without any commit interval setting
        List<String> commandLine = List.of("java", "-jar", "stream-processor.jar");

        // when / then
        assertThat(CommitInterval.of(commandLine, Map.of("PATH", "/usr/bin")))
                .isEqualTo(StreamsDefaults.COMMIT_INTERVAL_MS);
    }

    @Test
    void shouldReadTheEnvironmentVariableOfTheRelaxedBinding() {
        // given
        Map<String, String> environment = Map.of(CommitInterval.VARIABLE, "20");

        // when / then
        assertThat(CommitInterval.of(List.of("java"), environment)).isEqualTo(20);
    }

    @Test
    void shouldPreferTheCommandLineOverTheEnvironment() {
        // given both, the command line twice
        List<String> commandLine = List.of(
                "java",
                "-D" + CommitInterval.PROPERTY + "=30",
                "-jar",
                "app.jar",
                "--" + CommitInterval.PROPERTY + "=10");

        // when / then: like Spring Boot, command-line arguments win and the last one counts
        assertThat(CommitInterval.of(commandLine, Map.of(CommitInterval.VARIABLE, "20")))
                .isEqualTo(10);
    }

    @Test
    void shouldIgnoreAValueThatIsNotANumber() {
        assertThat(CommitInterval.of(List.of(), Map.of(CommitInterval.VARIABLE, "fast")))
                .isEqualTo(StreamsDefaults.COMMIT_INTERVAL_MS);
    }
}
