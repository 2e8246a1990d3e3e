package io.orderpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackReportTest {

    @Test
    void shouldPrintTheIssuerAReadyToPasteTokenRequestAndTheDemoIdentities() {
        // given
        StackSettings settings = StackSettings.from(Map.of(), Path.of("/repo"), "1");

        // when
        String printed = print(settings, Map.of());

        // then
        assertThat(printed)
                .contains("http://127.0.0.1:9000/.well-known/openid-configuration")
                .contains("curl -s -u trader-1:trader-1-secret -d grant_type=client_credentials"
                        + " -d scope='orders:write orders:read' http://127.0.0.1:9000/oauth2/token")
                .contains("trader-1 / trader-1-secret", "accounts acc-1, acc-2")
                .contains("trader-2 / trader-2-secret", "account acc-3")
                .contains("ops / ops-secret", "orders:admin")
                .contains("alice / alice");
    }

    @Test
    void shouldNotPrintTheDemoIdentitiesWhenTheEnvironmentReplacesThem() {
        // given
        StackSettings settings = StackSettings.from(Map.of("LOCAL_STACK_AUTH_PORT", "19000"), Path.of("/repo"), "1");

        // when
        String printed = print(settings, Map.of("ORDERS_AUTH_CLIENTS_0_ID", "mine"));

        // then
        assertThat(printed).contains("http://127.0.0.1:19000/oauth2/token").doesNotContain("trader-2");
    }

    private static String print(StackSettings settings, Map<String, String> env) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StackReport.printIdentities(new PrintStream(bytes, true, StandardCharsets.UTF_8), settings, env);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
