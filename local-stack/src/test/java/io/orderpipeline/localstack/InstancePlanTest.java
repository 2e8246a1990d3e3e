package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderpipeline.localstack.InstancePlan.ServiceInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstancePlanTest {

    private static final StackSettings DEFAULTS = StackSettings.from(Map.of(), Path.of("/repo"), "1");

    @Test
    void shouldLayOutOneInstanceEachAsBefore() {
        // when
        List<ServiceInstance> plan = InstancePlan.plan(DEFAULTS, 1, 1, Map.of());

        // then the issuer first, then the venue (its admin API's port is the one in the table)
        assertThat(plan)
                .extracting(ServiceInstance::name)
                .containsExactly(
                        "auth-server", "exchange-simulator", "ingest-api", "stream-processor", "query-ws-service");
        assertThat(plan).extracting(ServiceInstance::port).containsExactly(9000, 8086, 8080, 8082, 8081);
        assertThat(plan.get(1).environment())
                .containsEntry("ORDERS_VENUE_FIXPORT", "9878")
                .containsEntry("ORDERS_VENUE_DATADIR", "/repo/.local-stack/exchange-simulator/data")
                .containsEntry("ORDERS_VENUE_REPORTFAILOVER", "true")
                .doesNotContainKey("SPRING_KAFKA_BOOTSTRAPSERVERS");
        assertThat(plan.get(1).healthPath()).isEqualTo("/actuator/health");
        ServiceInstance processor = plan.get(3);
        assertThat(processor.environment())
                .containsEntry("SPRING_KAFKA_STREAMS_STATEDIR", "/repo/.local-stack/stream-processor/state")
                .containsEntry("ORDERS_EXCHANGE_LEDGERFILE", "/repo/.local-stack/stream-processor/exchange-ledger")
                .containsEntry("ORDERS_EXCHANGE_VENUEPORT", "9878")
                .containsEntry("ORDERS_EXCHANGE_SENDERCOMPID", "PIPELINE-1")
                .containsEntry("ORDERS_EXCHANGE_FIXSTOREDIR", "/repo/.local-stack/stream-processor/fix")
                .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "127.0.0.1:9092");
        assertThat(processor.logFile()).isEqualTo(Path.of("/repo/.local-stack/logs/stream-processor.log"));
        assertThat(plan.get(4).environment())
                .containsEntry("ORDERS_QUERY_STATEDIR", "/repo/.local-stack/query-ws-service/state")
                .containsEntry("ORDERS_UI_INGESTURL", "http://127.0.0.1:8080")
                .containsEntry("ORDERS_UI_VENUEURL", "http://127.0.0.1:8086");
    }

    @Test
    void shouldGiveEveryFurtherInstanceItsOwnPortStateLedgerAndLog() {
        // when
        List<ServiceInstance> plan = InstancePlan.plan(DEFAULTS, 3, 3, Map.of());

        // then query instances first from 8083, then processors, skipping the registry's 8085 and the venue's 8086
        assertThat(plan)
                .extracting(ServiceInstance::name)
                .containsExactly(
                        "auth-server",
                        "exchange-simulator",
                        "ingest-api",
                        "stream-processor",
                        "stream-processor-2",
                        "stream-processor-3",
                        "query-ws-service",
                        "query-ws-service-2",
                        "query-ws-service-3");
        assertThat(plan)
                .extracting(ServiceInstance::port)
                .containsExactly(9000, 8086, 8080, 8082, 8087, 8088, 8081, 8083, 8084);
        assertThat(plan).extracting(ServiceInstance::port).doesNotHaveDuplicates();
        ServiceInstance second = plan.get(4);
        assertThat(second.workDir()).isEqualTo(Path.of("/repo/.local-stack/stream-processor-2"));
        assertThat(second.logFile()).isEqualTo(Path.of("/repo/.local-stack/logs/stream-processor-2.log"));
        assertThat(second.environment())
                .containsEntry("SPRING_KAFKA_STREAMS_STATEDIR", "/repo/.local-stack/stream-processor-2/state")
                .containsEntry("ORDERS_EXCHANGE_LEDGERFILE", "/repo/.local-stack/stream-processor-2/exchange-ledger")
                // its own FIX session (SenderCompID) and message store, stable across its restarts
                .containsEntry("ORDERS_EXCHANGE_SENDERCOMPID", "PIPELINE-2")
                .containsEntry("ORDERS_EXCHANGE_FIXSTOREDIR", "/repo/.local-stack/stream-processor-2/fix");
        assertThat(plan.get(7).environment())
                .containsEntry("ORDERS_QUERY_STATEDIR", "/repo/.local-stack/query-ws-service-2/state");
    }

    @Test
    void shouldKeepAUsersLedgerFileForTheFirstProcessorAndSuffixItForTheOthers() {
        // when
        List<ServiceInstance> plan =
                InstancePlan.plan(DEFAULTS, 2, 1, Map.of("ORDERS_EXCHANGE_LEDGERFILE", "/data/ledger"));

        // then
        assertThat(plan.get(3).environment()).containsEntry("ORDERS_EXCHANGE_LEDGERFILE", "/data/ledger");
        assertThat(plan.get(4).environment()).containsEntry("ORDERS_EXCHANGE_LEDGERFILE", "/data/ledger-2");
    }

    @Test
    void shouldTakeExtraPortsFromTheSettingSkippingTheStacksOwn() {
        // given the extra range starts on the stack's own ingest port
        StackSettings settings = StackSettings.from(
                Map.of("LOCAL_STACK_EXTRA_PORT", "20000", "LOCAL_STACK_INGEST_PORT", "20001"), Path.of("/repo"), "1");

        // when
        List<ServiceInstance> plan = InstancePlan.plan(settings, 2, 2, Map.of());

        // then
        assertThat(plan).extracting(ServiceInstance::port).containsExactly(9000, 8086, 20001, 8082, 20002, 8081, 20000);
    }

    @Test
    void shouldGiveTheIssuerItsPortIssuerIdKeyFileAndDiscoveryProbe() {
        // given the issuer moved, and the extra range starting on its new port
        StackSettings settings = StackSettings.from(
                Map.of("LOCAL_STACK_AUTH_PORT", "19000", "LOCAL_STACK_EXTRA_PORT", "19000"), Path.of("/repo"), "1");

        // when
        List<ServiceInstance> plan = InstancePlan.plan(settings, 1, 2, Map.of());

        // then
        ServiceInstance issuer = plan.get(0);
        assertThat(issuer.module()).isEqualTo("auth-server");
        assertThat(issuer.port()).isEqualTo(19000);
        assertThat(issuer.healthPath()).isEqualTo("/.well-known/openid-configuration");
        assertThat(issuer.environment())
                .containsEntry("ORDERS_AUTH_ISSUER", "http://127.0.0.1:19000")
                .containsEntry("ORDERS_AUTH_SIGNINGKEY_LOCATION", "/repo/.local-stack/auth-server/signing-key.pem")
                .doesNotContainKey("SPRING_KAFKA_BOOTSTRAPSERVERS");
        assertThat(issuer.logFile()).isEqualTo(Path.of("/repo/.local-stack/logs/auth-server.log"));
        assertThat(plan.get(2).healthPath()).isEqualTo("/actuator/health");
        assertThat(plan).extracting(ServiceInstance::port).containsExactly(19000, 8086, 8080, 8082, 8081, 19001);
    }

    @Test
    void shouldPointTheResourceServersAtTheEmbeddedIssuer() {
        // given the issuer on another port
        StackSettings settings = StackSettings.from(Map.of("LOCAL_STACK_AUTH_PORT", "19000"), Path.of("/repo"), "1");

        // when
        List<ServiceInstance> plan = InstancePlan.plan(settings, 1, 2, Map.of());

        // then ingest-api and every query-ws-service trust it; the issuer and the processor have no use for it
        assertThat(plan)
                .filteredOn(instance -> instance.module().equals("ingest-api")
                        || instance.module().equals("query-ws-service"))
                .hasSize(3)
                .allSatisfy(instance -> assertThat(instance.environment())
                        .containsEntry(
                                "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "http://127.0.0.1:19000"));
        assertThat(plan)
                .filteredOn(instance -> instance.module().equals("auth-server")
                        || instance.module().equals("exchange-simulator")
                        || instance.module().equals("stream-processor"))
                .allSatisfy(instance -> assertThat(instance.environment())
                        .doesNotContainKey("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI"));
    }

    @Test
    void shouldLeaveAnIssuerTheUserNamedToTheInheritedEnvironment() {
        // when the user points the services at another OIDC issuer
        List<ServiceInstance> plan = InstancePlan.plan(
                DEFAULTS,
                1,
                1,
                Map.of("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "https://keycloak.example/realms/o"));

        // then the launcher sets none of its own, so the inherited value reaches them unchanged
        assertThat(plan)
                .allSatisfy(instance -> assertThat(instance.environment())
                        .doesNotContainKey("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI"));
    }

    @Test
    void shouldRejectZeroInstances() {
        assertThatThrownBy(() -> InstancePlan.plan(DEFAULTS, 0, 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadTheRestartPolicyFromTheEnvironment() {
        // given / when
        StackSettings settings = StackSettings.from(
                Map.of("LOCAL_STACK_RESTART_LIMIT", "3", "LOCAL_STACK_RESTART_WINDOW", "60"), Path.of("/repo"), "1");

        // then
        assertThat(settings.restartPolicy())
                .isEqualTo(new RestartPolicy(3, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(30)));
        assertThat(DEFAULTS.restartPolicy().limit()).isEqualTo(5);
        assertThat(DEFAULTS.restartPolicy().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(DEFAULTS.extraPort()).isEqualTo(8083);
        assertThatThrownBy(() -> StackSettings.from(Map.of("LOCAL_STACK_RESTART_LIMIT", "0"), Path.of("/repo"), "1"))
                .hasMessageContaining("LOCAL_STACK_RESTART_LIMIT");
    }
}
