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
    void shouldPrintTheIssuerReadyToPasteTokenRequestsCallsWithTheTokenAndTheDemoIdentities() {
        // given
        StackSettings settings = StackSettings.from(Map.of(), Path.of("/repo"), "1");

        // when
        String printed = print(settings, Map.of());

        // then a token for each trader, fetched without jq, and sent on every call
        assertThat(printed)
                .contains("http://127.0.0.1:9000/.well-known/openid-configuration")
                .contains("TOKEN=$(curl -s -u trader-1:trader-1-secret -d grant_type=client_credentials"
                        + " -d scope='orders:write orders:read' http://127.0.0.1:9000/oauth2/token | sed -n")
                .contains("TOKEN2=$(curl -s -u trader-2:trader-2-secret")
                .contains("curl -si http://127.0.0.1:8080/orders -H \"Authorization: Bearer $TOKEN\"")
                .contains("\\\"accountId\\\":\\\"acc-1\\\"", "# 202")
                .contains("\\\"accountId\\\":\\\"acc-3\\\"", "# 403")
                .contains("-H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8081/orders/<orderId>", "$TOKEN2: 404")
                .contains("Authorization: Bearer <token>", "/topic/accounts.<accountId>")
                .contains("trader-1 / trader-1-secret", "accounts acc-1, acc-2")
                .contains("trader-2 / trader-2-secret", "account acc-3")
                .contains("ops / ops-secret", "orders:admin")
                .contains("alice / alice", "olga / olga");
    }

    @Test
    void shouldNotPrintTheDemoIdentitiesWhenTheEnvironmentReplacesThem() {
        // given
        StackSettings settings = StackSettings.from(Map.of("LOCAL_STACK_AUTH_PORT", "19000"), Path.of("/repo"), "1");

        // when
        String printed = print(settings, Map.of("ORDERS_AUTH_CLIENTS_0_ID", "mine"));

        // then
        assertThat(printed)
                .contains("http://127.0.0.1:19000/oauth2/token")
                .doesNotContain("trader-2 / trader-2-secret");
    }

    @Test
    void shouldSayWhichIssuerTheServicesTrustWhenTheEnvironmentNamesAnother() {
        // given
        StackSettings settings = StackSettings.from(Map.of(), Path.of("/repo"), "1");

        // when
        String printed = print(settings, Map.of(InstancePlan.ISSUER_URI, "https://keycloak.example/realms/orders"));

        // then
        assertThat(printed)
                .contains("the services trust https://keycloak.example/realms/orders instead")
                .doesNotContain("Demo identities");
    }

    @Test
    void shouldPrintATokenRequestWhoseSedExtractsTheAccessToken() throws Exception {
        // given the request as printed, run against a canned token response instead of the issuer
        String request = StackReport.tokenRequest("TOKEN", "trader-1:trader-1-secret", "http://127.0.0.1:9000");
        String sed = request.substring(request.indexOf("sed "), request.length() - 1);
        String response = "{\"access_token\":\"eyJ.a-b_c.d\",\"scope\":\"orders:write\",\"token_type\":\"Bearer\","
                + "\"expires_in\":599}";

        // when bash runs its sed on it
        Process bash = new ProcessBuilder("bash", "-c", "printf '%s' '" + response + "' | " + sed)
                .redirectErrorStream(true)
                .start();
        String token = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        // then
        assertThat(bash.waitFor()).isZero();
        assertThat(token).isEqualTo("eyJ.a-b_c.d");
    }

    private static String print(StackSettings settings, Map<String, String> env) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StackReport.printCalls(new PrintStream(bytes, true, StandardCharsets.UTF_8), settings, env);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
