package io.orderpipeline.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The issuer over real HTTP on a random port, with an issuer identifier that is not its address: what discovery
 * names and what the tokens carry come from the configuration.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + AuthServerApplication.CONFIG_NAME,
            "orders.auth.issuer=" + AuthServerTest.ISSUER
        })
class AuthServerTest {

    static final String ISSUER = "http://issuer.orders.test";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void shouldPublishDiscoveryNamingTheConfiguredIssuerAndItsEndpoints() throws Exception {
        // when
        HttpResponse<String> discovery = get("/.well-known/openid-configuration");
        HttpResponse<String> jwks = get("/oauth2/jwks");

        // then
        assertThat(discovery.statusCode()).isEqualTo(200);
        Map<String, Object> metadata = JSONObjectUtils.parse(discovery.body());
        assertThat(metadata)
                .containsEntry("issuer", ISSUER)
                .containsEntry("jwks_uri", ISSUER + "/oauth2/jwks")
                .containsEntry("token_endpoint", ISSUER + "/oauth2/token")
                .containsEntry("authorization_endpoint", ISSUER + "/oauth2/authorize");
        assertThat(JSONObjectUtils.getStringList(metadata, "grant_types_supported"))
                .contains("client_credentials", "authorization_code");
        assertThat(jwks.statusCode()).isEqualTo(200);
        JWKSet keys = JWKSet.parse(jwks.body());
        assertThat(keys.getKeys()).singleElement().satisfies(key -> {
            assertThat(key).isInstanceOf(RSAKey.class);
            assertThat(key.isPrivate()).as("only the public half is published").isFalse();
            assertThat(key.getKeyID()).isNotBlank();
        });
    }

    @Test
    void shouldIssueTrader1ASignedTokenWithItsAccountsScopesAudienceAndExpiry() throws Exception {
        // when
        HttpResponse<String> response = token("trader-1", "trader-1-secret", "orders:write orders:read");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertThat(body).containsEntry("token_type", "Bearer");
        SignedJWT jwt = verified(JSONObjectUtils.getString(body, "access_token"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringListClaim("accounts")).containsExactly("acc-1", "acc-2");
        assertThat(claims.getStringListClaim("scope")).containsExactlyInAnyOrder("orders:write", "orders:read");
        assertThat(claims.getAudience()).containsExactly("orders-api");
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getSubject()).isEqualTo("trader-1");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("trader-1");
        assertThat(Duration.between(
                        claims.getIssueTime().toInstant(),
                        claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldGiveTrader2ItsAccountAndOpsTheAdminScopeWithNoAccounts() throws Exception {
        // when
        JWTClaimsSet trader2 = verified(accessToken(token("trader-2", "trader-2-secret", "orders:write orders:read")))
                .getJWTClaimsSet();
        JWTClaimsSet ops = verified(accessToken(token("ops", "ops-secret", "orders:admin orders:write orders:read")))
                .getJWTClaimsSet();

        // then
        assertThat(trader2.getStringListClaim("accounts")).containsExactly("acc-3");
        assertThat(ops.getStringListClaim("scope")).contains("orders:admin");
        assertThat(ops.getStringListClaim("accounts")).isEmpty();
    }

    @Test
    void shouldRefuseAWrongSecretWith401() throws Exception {
        // when
        HttpResponse<String> response = token("trader-1", "not-the-secret", "orders:write");

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("error", "invalid_client");
    }

    @Test
    void shouldRefuseAScopeTheClientIsNotRegisteredFor() throws Exception {
        // when trader-1 asks for the operator scope
        HttpResponse<String> response = token("trader-1", "trader-1-secret", "orders:admin");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("error", "invalid_scope");
    }

    @Test
    void shouldAnswerHealthWithoutAToken() throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    private SignedJWT verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = (RSAKey) JWKSet.parse(get("/oauth2/jwks").body())
                .getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's kid is in the JWKS").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).as("signature").isTrue();
        return jwt;
    }

    private static String accessToken(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(String clientId, String secret, String scope) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                                + java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
