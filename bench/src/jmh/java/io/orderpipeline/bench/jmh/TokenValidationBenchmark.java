package io.orderpipeline.bench.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderpipeline.security.Caller;
import io.orderpipeline.security.SecuritySettings;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * What every authenticated request pays for its token, without the network: the resource servers' decoder as Spring
 * Boot builds it (RS256 signature check with the issuer's key, {@code exp}/{@code nbf}, {@code iss}, {@code aud}), the
 * scope-to-authority conversion of Spring Security's resource server, and the project's {@link Caller} with its
 * account check. The JWKS itself is fetched once and cached by the services, so it is not part of the per-request
 * cost. Divided by ingest-api's CPU per order (the resources table of the same run), this is the share of POST
 * capacity that token validation costs (the issue's bound: 10 %); the results file states that share.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenValidationBenchmark {

    static final String ISSUER = "http://127.0.0.1:9000";
    static final String AUDIENCE = "orders-api";

    private NimbusJwtDecoder decoder;
    private JwtAuthenticationConverter converter;
    private SecuritySettings settings;
    private String token;

    @Setup
    public void setUp() throws JOSEException {
        // a key and a token like the embedded issuer's: RSA 2048, RS256, kid, aud orders-api, accounts, 10 min
        RSAKey key =
                new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        decoder = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(
                new JwtIssuerValidator(ISSUER),
                new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(AUDIENCE)))));
        converter = new JwtAuthenticationConverter();
        settings = new SecuritySettings("accounts", "orders:read", "orders:write", "orders:admin");
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder()
                        .issuer(ISSUER)
                        .subject("trader-1")
                        .audience(AUDIENCE)
                        .issueTime(Date.from(now))
                        .notBeforeTime(Date.from(now))
                        // the run lasts longer than a real token; validity is what is checked, not renewal
                        .expirationTime(Date.from(now.plusSeconds(24 * 3600)))
                        .jwtID(UUID.randomUUID().toString())
                        .claim("scope", "orders:write orders:read")
                        .claim("accounts", List.of("acc-1", "acc-2"))
                        .build());
        jwt.sign(new RSASSASigner(key));
        token = jwt.serialize();
    }

    /** Decode + verify + validate, authorities, and the account check of a POST for acc-1. */
    @Benchmark
    public boolean validateToken() {
        Jwt jwt = decoder.decode(token);
        AbstractAuthenticationToken authentication = converter.convert(jwt);
        return authentication.isAuthenticated() | Caller.of(jwt, settings).mayActFor("acc-1");
    }
}
