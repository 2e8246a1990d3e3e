package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void shouldUseTheDocumentedDefaultsWithAnEmptyEnvironment() {
        // given no LOCAL_STACK_* variables
        // when
        StackSettings settings = StackSettings.from(Map.of(), ROOT, "1.2.3");

        // then
        assertThat(settings.home()).isEqualTo(Path.of("/repo/.local-stack"));
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.registryUrl()).isEqualTo("http://127.0.0.1:8085/apis/registry/v2");
        assertThat(settings.authPort()).isEqualTo(9000);
        assertThat(settings.issuerUri()).isEqualTo("http://127.0.0.1:9000");
        assertThat(settings.ingestPort()).isEqualTo(8080);
        assertThat(settings.queryPort()).isEqualTo(8081);
        assertThat(settings.processorPort()).isEqualTo(8082);
        assertThat(settings.serviceJvmOptions()).contains("-Xmx384m", "-XX:+UseSerialGC");
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(settings.jar("ingest-api")).isEqualTo(Path.of("/repo/ingest-api/target/ingest-api-1.2.3-exec.jar"));
        assertThat(settings.logs()).isEqualTo(Path.of("/repo/.local-stack/logs"));
    }

    @Test
    void shouldTakePortsHomeAndJvmOptionsFromTheEnvironment() {
        // given
        Map<String, String> env = Map.of(
                "LOCAL_STACK_HOME", "state",
                "LOCAL_STACK_KAFKA_PORT", "19092",
                "LOCAL_STACK_REGISTRY_PORT", "18085",
                "LOCAL_STACK_SERVICE_JVM_OPTS", "  -Xmx256m   -XX:TieredStopAtLevel=1 ",
                "LOCAL_STACK_START_TIMEOUT", "30");

        // when
        StackSettings settings = StackSettings.from(env, ROOT, "1.2.3");

        // then a relative home is under the repository root
        assertThat(settings.home()).isEqualTo(Path.of("/repo/state"));
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(settings.registryUrl()).isEqualTo("http://127.0.0.1:18085/apis/registry/v2");
        assertThat(settings.serviceJvmOptions()).containsExactly("-Xmx256m", "-XX:TieredStopAtLevel=1");
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldRejectAPortThatIsNoNumberOrOutOfRange() {
        assertThatThrownBy(() -> StackSettings.from(Map.of("LOCAL_STACK_KAFKA_PORT", "ninety"), ROOT, "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOCAL_STACK_KAFKA_PORT");
        assertThatThrownBy(() -> StackSettings.from(Map.of("LOCAL_STACK_QUERY_PORT", "70000"), ROOT, "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOCAL_STACK_QUERY_PORT");
    }
}
