package io.orderpipeline.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** A key file keeps tokens valid across a restart of the issuer; without one, a restart invalidates them. */
class SigningKeyTest {

    @TempDir
    Path home;

    @Test
    void shouldKeepTokensValidAcrossARestartWhenTheKeyLivesInAFile() throws Exception {
        // given an issuer that creates its key file, and a token it issued
        Path keyFile = home.resolve("auth").resolve("signing-key.pem");
        String token;
        try (EmbeddedIssuer first = EmbeddedIssuer.start(0, "orders.auth.signing-key.location=" + keyFile)) {
            token = first.token("trader-1", "trader-1-secret");
        }
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");

        // when the issuer starts again from the same file
        try (EmbeddedIssuer second = EmbeddedIssuer.start(0, "orders.auth.signing-key.location=" + keyFile)) {
            // then its JWKS still verifies the token issued before the restart
            Jwt jwt = decoder(second).decode(token);
            assertThat(jwt.getClaimAsStringList("accounts")).containsExactly("acc-1", "acc-2");
        }
    }

    @Test
    void shouldInvalidateEarlierTokensOnRestartWithoutAKeyFile() {
        // given
        String token;
        try (EmbeddedIssuer first = EmbeddedIssuer.start()) {
            token = first.token("trader-1", "trader-1-secret");
            assertThat(decoder(first).decode(token).getSubject()).isEqualTo("trader-1");
        }

        // when
        try (EmbeddedIssuer second = EmbeddedIssuer.start()) {
            // then
            assertThatThrownBy(() -> decoder(second).decode(token))
                    .isInstanceOf(org.springframework.security.oauth2.jwt.JwtException.class);
        }
    }

    @Test
    void shouldRefuseToStartWhenTheKeyFileIsMissingAndMayNotBeCreated() {
        // given
        Path keyFile = home.resolve("missing.pem");

        // when / then
        assertThatThrownBy(() -> EmbeddedIssuer.start(
                                0,
                                "orders.auth.signing-key.location=" + keyFile,
                                "orders.auth.signing-key.create-if-missing=false")
                        .close())
                .hasRootCauseMessage("signing key " + keyFile
                        + " does not exist (orders.auth.signing-key.location; create-if-missing is off)");
        assertThat(keyFile).doesNotExist();
    }

    private static JwtDecoder decoder(EmbeddedIssuer issuer) {
        return NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri()).build();
    }
}
