package io.orderpipeline.bench.jmh;

import com.nimbusds.jose.JOSEException;
import io.orderpipeline.security.CachingJwtDecoder;
import io.orderpipeline.security.Caller;
import io.orderpipeline.security.SecuritySettings;
import io.orderpipeline.security.TokenCacheSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * What every authenticated request pays for its token, without the network: the resource servers' decoder as Spring
 * Boot builds it (RS256 signature check with the issuer's key, {@code exp}/{@code nbf}, {@code iss}, {@code aud}), the
 * scope-to-authority conversion of Spring Security's resource server, and the project's {@link Caller} with its
 * account check. The JWKS itself is fetched once and cached by the services, so it is not part of the per-request
 * cost.
 *
 * <p>{@code validateToken} is a token the service has not seen (full validation); {@code validateCachedToken} one it
 * has, through the services' validated-token cache ({@code orders.security.token-cache}, on by default). Divided by
 * ingest-api's CPU per order (the resources table of the same run), {@code validateToken} is the share of POST capacity
 * token validation would cost without the cache (the bound: 10 %; the results file states that share, an upper
 * bound now). What the whole security filter chain costs a request as the services run it is {@code
 * SecurityFilterChainBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenValidationBenchmark {

    private JwtDecoder decoder;
    private JwtDecoder cached;
    private JwtAuthenticationConverter converter;
    private SecuritySettings settings;
    private String token;

    @Setup
    public void setUp() throws JOSEException {
        BenchTokens tokens = BenchTokens.generate();
        decoder = tokens.decoder();
        cached = new CachingJwtDecoder(tokens.decoder(), new TokenCacheSettings(4096, Duration.ofMinutes(5)));
        converter = new JwtAuthenticationConverter();
        settings = new SecuritySettings("accounts", "orders:read", "orders:write", "orders:admin");
        token = tokens.token();
    }

    /** Decode + verify + validate, authorities, and the account check of a POST for acc-1. */
    @Benchmark
    public boolean validateToken() {
        return authorize(decoder.decode(token));
    }

    /**
     * The same through the services' validated-token cache ({@link CachingJwtDecoder}, on by default), for a token seen
     * before: what a client that reuses its token pays per request. The whole chain is {@code
     * SecurityFilterChainBenchmark}.
     */
    @Benchmark
    public boolean validateCachedToken() {
        return authorize(cached.decode(token));
    }

    private boolean authorize(Jwt jwt) {
        AbstractAuthenticationToken authentication = converter.convert(jwt);
        return authentication.isAuthenticated() | Caller.of(jwt, settings).mayActFor("acc-1");
    }
}
