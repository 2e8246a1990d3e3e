package io.orderpipeline.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderpipeline.auth.TestTokens.Hostile;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The test support against a resource server's decoder as the services will configure one: discovery from {@link
 * EmbeddedIssuer#issuerUri()} (issuer, JWKS, RS256), plus the audience. Real tokens and {@link TestTokens#valid} pass;
 * every {@link Hostile} token is refused — so a service test that sends them proves the service's own configuration.
 */
class TestTokensTest {

    private static EmbeddedIssuer issuer;
    private static NimbusJwtDecoder decoder;

    @BeforeAll
    static void startIssuer() {
        issuer = EmbeddedIssuer.start();
        decoder = (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(issuer.issuerUri());
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer.issuerUri()),
                new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(issuer.audience()))));
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void shouldAcceptARealTokenOfTheIssuer() {
        // when
        Jwt jwt = decoder.decode(issuer.token("trader-2", "trader-2-secret"));

        // then
        assertThat(jwt.getIssuer()).hasToString(issuer.issuerUri());
        assertThat(jwt.getClaimAsStringList("accounts")).containsExactly("acc-3");
    }

    @Test
    void shouldMintValidTokensThatMatchTheIssuers() {
        // when
        Jwt jwt = decoder.decode(issuer.testTokens().valid("trader-1", List.of("acc-1"), "orders:write"));

        // then
        assertThat(jwt.getSubject()).isEqualTo("trader-1");
        assertThat(jwt.getClaimAsStringList("accounts")).containsExactly("acc-1");
        assertThat(jwt.getClaimAsStringList("scope")).containsExactly("orders:write");
        assertThat(jwt.getAudience()).containsExactly("orders-api");
    }

    /** Each refused for the defect it claims to have, not for being garbage. */
    @ParameterizedTest
    @EnumSource(Hostile.class)
    void shouldMintHostileTokensThatAResourceServerRefusesForTheirDefect(Hostile kind) {
        // given
        String token = issuer.testTokens().hostile(kind, "trader-1", List.of("acc-3"), "orders:write");

        // when / then
        assertThatThrownBy(() -> decoder.decode(token))
                .isInstanceOf(JwtException.class)
                .hasMessageContaining(
                        switch (kind) {
                            case EXPIRED -> "Jwt expired at";
                            case NOT_YET_VALID -> "Jwt used before";
                            case WRONG_ISSUER -> "The iss claim is not valid";
                            case WRONG_AUDIENCE -> "The aud claim is not valid";
                            case TAMPERED_PAYLOAD, BAD_SIGNATURE, OTHER_KEY_SET -> "Invalid signature";
                            case ALG_NONE -> "Unsupported algorithm of none";
                            case HS256_WITH_PUBLIC_KEY -> "Another algorithm expected, or no matching key(s) found";
                        });
    }

    @Test
    void shouldCarryTheForgedAccountsInTheTamperedPayload() {
        // given
        String token = issuer.testTokens().hostile(Hostile.TAMPERED_PAYLOAD, "trader-1", List.of("acc-3"));

        // then the payload claims acc-3 (what a decoder skipping the signature would believe)
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1])))
                .contains("\"accounts\":[\"acc-3\"]");
    }

    @Test
    void shouldRefuseAWrongSecretFromTheEmbeddedIssuer() {
        assertThatThrownBy(() -> issuer.token("trader-1", "wrong"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("401");
    }
}
