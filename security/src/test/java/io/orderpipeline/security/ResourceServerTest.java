package io.orderpipeline.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.auth.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A real issuer (the auth-server in this JVM), a real resource server on real HTTP, real tokens. */
class ResourceServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedIssuer issuer;
    private static ConfigurableApplicationContext service;
    private static String base;

    @BeforeAll
    static void start() {
        issuer = EmbeddedIssuer.start();
        service = new SpringApplicationBuilder(ProbeService.class)
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "management.endpoints.web.exposure.include=health,metrics",
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.issuerUri())
                .run();
        base = "http://127.0.0.1:"
                + ((WebServerApplicationContext) service).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void shouldAnswer401ProblemWithWwwAuthenticateWithoutAToken() throws Exception {
        // given / when a request without Authorization
        HttpResponse<String> response = send("POST", "/orders", null);

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":401").contains("urn:orderpipeline:problem:unauthorized");
    }

    @Test
    void shouldLetARealTokenThroughAndReadItsAccountsAndScopes() throws Exception {
        // given a trader-1 token fetched from the issuer over HTTP
        String token = issuer.token("trader-1", "trader-1-secret");
        // when
        HttpResponse<String> response = send("POST", "/orders", token);

        // then the caller is trader-1 with its accounts
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("trader-1 [acc-1, acc-2] admin=false");
    }

    @Test
    void shouldAnswer403ProblemForAValidTokenWithoutTheScope() throws Exception {
        // given a token with orders:read only
        String token = issuer.token("trader-1", "trader-1-secret", "orders:read");

        // when it tries to write
        HttpResponse<String> response = send("POST", "/orders", token);

        // then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).contains("insufficient_scope"));
        assertThat(response.body()).contains("\"status\":403").contains("urn:orderpipeline:problem:forbidden");
        // and reading is fine
        assertThat(send("GET", "/orders", token).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(TestTokens.Hostile.class)
    void shouldRefuseEveryHostileTokenWith401(TestTokens.Hostile kind) throws Exception {
        // given a token with exactly one defect
        String token = issuer.testTokens()
                .hostile(kind, "mallory", List.of("acc-1", "acc-3"), "orders:write", "orders:read", "orders:admin");

        // when / then it is refused, and the same token without the defect is accepted
        HttpResponse<String> response = send("POST", "/orders", token);
        assertThat(response.statusCode()).as(kind.name()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        String valid = issuer.testTokens()
                .valid("mallory", List.of("acc-1", "acc-3"), "orders:write", "orders:read", "orders:admin");
        assertThat(send("POST", "/orders", valid).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldServeARepeatedTokenFromTheCacheAndStillRefuseItsChangedCopies() throws Exception {
        // given the service's decoder is the cache, and a token it has seen
        CachingJwtDecoder decoder = (CachingJwtDecoder) service.getBean(JwtDecoder.class);
        String token = issuer.testTokens().valid("carol", List.of("acc-1"), "orders:write");
        assertThat(send("POST", "/orders", token).statusCode()).isEqualTo(200);
        long cached = decoder.size();

        // when it comes again, and copies of it with one character changed in the payload or the signature
        HttpResponse<String> again = send("POST", "/orders", token);
        String[] parts = token.split("\\.");
        HttpResponse<String> payload = send("POST", "/orders", parts[0] + "." + flip(parts[1]) + "." + parts[2]);
        HttpResponse<String> signature = send("POST", "/orders", parts[0] + "." + parts[1] + "." + flip(parts[2]));

        // then the repeat is served (and still cached once), the copies are refused and not cached
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).startsWith("carol ");
        assertThat(payload.statusCode()).isEqualTo(401);
        assertThat(signature.statusCode()).isEqualTo(401);
        assertThat(decoder.size()).isEqualTo(cached);
    }

    @Test
    void shouldKeepHealthOpenAndOtherManagementForAdmins() throws Exception {
        // given / when / then
        assertThat(send("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/metrics", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/actuator/metrics", issuer.token("trader-1", "trader-1-secret"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(send("GET", "/actuator/metrics", issuer.token("ops", "ops-secret"))
                        .statusCode())
                .isEqualTo(200);
    }

    private static String flip(String base64) {
        char c = base64.charAt(10);
        return base64.substring(0, 10) + (c == 'A' ? 'B' : 'A') + base64.substring(11);
    }

    private static HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication
    @RestController
    static class ProbeService {

        private final Callers callers;

        ProbeService(Callers callers) {
            this.callers = callers;
        }

        @Bean
        SecurityFilterChain api(HttpSecurity http, SecuritySettings settings, ProblemResponses responses)
                throws Exception {
            return ResourceServer.configure(
                            http,
                            settings,
                            responses,
                            rules -> rules.requestMatchers(HttpMethod.POST, "/orders")
                                    .hasAuthority(SecuritySettings.authority(settings.writeScope()))
                                    .requestMatchers(HttpMethod.GET, "/orders")
                                    .hasAuthority(SecuritySettings.authority(settings.readScope())))
                    .build();
        }

        @PostMapping("/orders")
        String write() {
            Caller caller = callers.current();
            return caller.subject() + " " + new TreeSet<>(caller.accounts()) + " admin=" + caller.admin();
        }

        @GetMapping("/orders")
        Map<String, Object> read() {
            return Map.of("subject", callers.current().subject());
        }
    }
}
