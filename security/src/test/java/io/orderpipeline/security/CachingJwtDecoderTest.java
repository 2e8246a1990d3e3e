package io.orderpipeline.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.auth.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The validated-token cache in front of the decoder Spring Boot builds for the real issuer (discovery, JWKS, RS256,
 * {@code iss}, timestamps), fed the issuer's real tokens; only "now" of the checks on a hit is a test clock.
 */
class CachingJwtDecoderTest {

    private static EmbeddedIssuer issuer;
    private static JwtDecoder real;

    private final AtomicInteger fullValidations = new AtomicInteger();
    private MovableClock clock;
    private CachingJwtDecoder decoder;

    @BeforeAll
    static void startIssuer() {
        issuer = EmbeddedIssuer.start();
        // as Spring Boot builds it from issuer-uri and audiences
        NimbusJwtDecoder nimbus =
                NimbusJwtDecoder.withIssuerLocation(issuer.issuerUri()).build();
        nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer.issuerUri()),
                new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(issuer.audience()))));
        real = nimbus;
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void cache() {
        clock = new MovableClock(Instant.now());
        decoder = decoder(new TokenCacheSettings(100, Duration.ofMinutes(5)));
    }

    @Test
    void shouldValidateARepeatedTokenOnceAndReturnTheSameJwt() {
        // given a real token of trader-1
        String token = issuer.token("trader-1", "trader-1-secret");

        // when it is presented three times
        Jwt first = decoder.decode(token);
        Jwt second = decoder.decode(token);
        Jwt third = decoder.decode(token);

        // then the signature was checked once
        assertThat(fullValidations).hasValue(1);
        assertThat(second).isSameAs(first).isSameAs(third);
        assertThat(first.getSubject()).isEqualTo("trader-1");
    }

    @Test
    void shouldRefuseACachedTokenOnceItExpiresAsTheDecoderWould() {
        // given a valid token, cached
        String token = issuer.testTokens().valid("mallory", List.of("acc-1"), "orders:write");
        Jwt jwt = decoder.decode(token);

        // when time passes to just before its exp + 60 s skew, then beyond
        clock.set(jwt.getExpiresAt().plusSeconds(59));
        Jwt stillValid = decoder.decode(token);
        clock.set(jwt.getExpiresAt().plusSeconds(61));

        // then it is accepted from the cache, then refused: expired, although the real decoder (real time) would not
        // see it yet
        assertThat(stillValid).isSameAs(jwt);
        assertThatThrownBy(() -> decoder.decode(token))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
        assertThat(fullValidations).hasValue(1);
        // and it left the cache: the next attempt is validated in full again
        assertThat(decoder.size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(TestTokens.Hostile.class)
    void shouldRefuseEveryHostileTokenEveryTimeAndNeverCacheIt(TestTokens.Hostile kind) {
        // given the valid token of mallory, cached, and its hostile twin
        decoder.decode(issuer.testTokens().valid("mallory", List.of("acc-1"), "orders:write"));
        String hostile = issuer.testTokens().hostile(kind, "mallory", List.of("acc-1"), "orders:write");

        // when / then it is refused twice, each time by the full validation
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> decoder.decode(hostile)).as(kind.name()).isInstanceOf(JwtException.class);
        }
        assertThat(fullValidations).hasValue(3);
        assertThat(decoder.size()).isEqualTo(1);
    }

    @Test
    void shouldNeverTakeAChangedCopyOfACachedTokenForIt() {
        // given a cached token
        String token = issuer.testTokens().valid("mallory", List.of("acc-1"), "orders:write");
        decoder.decode(token);
        String[] parts = token.split("\\.");

        // when one character of its payload or of its signature changes
        String payload = parts[0] + "." + flip(parts[1]) + "." + parts[2];
        String signature = parts[0] + "." + parts[1] + "." + flip(parts[2]);

        // then both are validated in full, and refused
        assertThatThrownBy(() -> decoder.decode(payload)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(signature)).isInstanceOf(JwtException.class);
        assertThat(fullValidations).hasValue(3);
    }

    @Test
    void shouldKeepAtMostMaxSizeTokens() {
        // given a cache of 2
        CachingJwtDecoder small = decoder(new TokenCacheSettings(2, Duration.ofMinutes(5)));

        // when 5 different tokens are validated
        for (int i = 0; i < 5; i++) {
            small.decode(issuer.testTokens().valid("user-" + i, List.of("acc-1"), "orders:write"));
        }

        // then
        assertThat(small.size()).isLessThanOrEqualTo(2);
    }

    private CachingJwtDecoder decoder(TokenCacheSettings settings) {
        JwtDecoder counting = token -> {
            fullValidations.incrementAndGet();
            return real.decode(token);
        };
        return new CachingJwtDecoder(counting, settings, clock);
    }

    private static String flip(String base64) {
        char c = base64.charAt(10);
        return base64.substring(0, 10) + (c == 'A' ? 'B' : 'A') + base64.substring(11);
    }

    /** A clock the test sets; read by the checks on a cache hit. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
