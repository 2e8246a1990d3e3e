package io.orderpipeline.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** {@code orders.security.token-cache.max-size} switches the cache in front of a service's decoder on and off. */
class TokenCacheConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class))
            .withBean(JwtDecoder.class, () -> TokenCacheConfigurationTest::refuse);

    @Test
    void shouldPutTheCacheInFrontOfTheDecoderByDefault() {
        context.run(started -> assertThat(started.getBean(JwtDecoder.class)).isInstanceOf(CachingJwtDecoder.class));
    }

    @Test
    void shouldLeaveTheDecoderAloneWithMaxSizeZero() {
        context.withPropertyValues("orders.security.token-cache.max-size=0")
                .run(started -> assertThat(started.getBean(JwtDecoder.class)).isNotInstanceOf(CachingJwtDecoder.class));
    }

    private static Jwt refuse(String token) {
        throw new org.springframework.security.oauth2.jwt.BadJwtException("not a token");
    }
}
