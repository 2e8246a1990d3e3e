package io.orderpipeline.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A bounded cache of validated tokens in front of a service's {@link JwtDecoder}: the same token string gives the same
 * {@link Jwt} without parsing it and checking its RS256 signature again (about 50 µs of CPU per request, measured in
 * {@code bench}'s {@code TokenValidationBenchmark}).
 *
 * <p><b>Why it is safe.</b> The key is the whole token string: a token that differs in any byte (tampered payload,
 * another signature, another header) is another key and goes through the full validation of the decoder it wraps, and
 * a token that fails it is never cached. What a signature check established about a string cannot change; what can is
 * time, so on every hit the timestamp rules run again ({@link JwtTimestampValidator}: {@code exp}/{@code nbf} with the
 * same 60 s skew as Spring Boot's decoder), and an expired token is refused at its {@code exp} (+ skew) exactly as
 * without the cache. {@code iss} and {@code aud} are claims of the signed string, fixed. An entry is dropped at its
 * {@code exp} + skew or after {@link TokenCacheSettings#maxAge()}, whichever comes first, so a key withdrawn by the
 * issuer stops being trusted within {@code maxAge} (JWTs are not revocable otherwise, with or without the cache).
 */
public final class CachingJwtDecoder implements JwtDecoder {

    /** Spring Security's default skew, which Spring Boot's decoder uses. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final JwtDecoder delegate;
    private final OAuth2TokenValidator<Jwt> onHit;
    private final Cache<String, Jwt> validated;

    public CachingJwtDecoder(JwtDecoder delegate, TokenCacheSettings settings) {
        this(delegate, settings, Clock.systemUTC());
    }

    /** @param clock what "now" is for the checks on a hit (tests move it) */
    CachingJwtDecoder(JwtDecoder delegate, TokenCacheSettings settings, Clock clock) {
        this.delegate = delegate;
        JwtTimestampValidator timestamps = new JwtTimestampValidator(CLOCK_SKEW);
        timestamps.setClock(clock);
        this.onHit = timestamps;
        Duration maxAge = settings.maxAge();
        this.validated = Caffeine.newBuilder()
                // maintenance (eviction, expiry) on the calling thread, amortized: no hand-off to the common pool,
                // whose
                // wake-ups cost more than the work on a small box
                .executor(Runnable::run)
                .maximumSize(settings.maxSize())
                .expireAfter(Expiry.creating((String token, Jwt jwt) -> lifetime(jwt, clock.instant(), maxAge)))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = validated.getIfPresent(token);
        if (known == null) {
            // throws for any defect; only a token that passed every check is remembered
            Jwt jwt = delegate.decode(token);
            validated.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = onHit.validate(known);
        if (result.hasErrors()) {
            validated.invalidate(token);
            throw new JwtValidationException(
                    result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return known;
    }

    /** How many tokens are remembered now (after evicting what is due). */
    long size() {
        validated.cleanUp();
        return validated.estimatedSize();
    }

    private static Duration lifetime(Jwt jwt, Instant now, Duration maxAge) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            return maxAge;
        }
        Duration untilRefused = Duration.between(now, expiresAt.plus(CLOCK_SKEW));
        if (untilRefused.isNegative()) {
            return Duration.ZERO;
        }
        return untilRefused.compareTo(maxAge) < 0 ? untilRefused : maxAge;
    }
}
