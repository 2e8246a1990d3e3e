package io.orderpipeline.security;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The cache of validated tokens in front of the service's {@code JwtDecoder} ({@link CachingJwtDecoder}), under {@code
 * orders.security.token-cache}.
 *
 * @param maxSize how many distinct tokens are remembered (least recently used go first); {@code 0} turns the cache
 *     off, every request then pays the full validation (RS256 signature check included). An entry costs about 3 KB
 * @param maxAge how long a token is trusted without its signature being checked again, at most (and never beyond its
 *     {@code exp}): bounds how long a token signed by a key the issuer has since withdrawn from its JWKS still passes
 */
@Validated
@ConfigurationProperties("orders.security.token-cache")
public record TokenCacheSettings(
        @Min(0) @DefaultValue("4096") int maxSize,
        @DefaultValue("5m") Duration maxAge) {

    public boolean enabled() {
        return maxSize > 0 && !maxAge.isNegative() && !maxAge.isZero();
    }
}
