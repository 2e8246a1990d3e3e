package io.orderpipeline.bench.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * A key and a token like the embedded issuer's (RSA 2048, RS256, kid, {@code aud orders-api}, {@code accounts}, trader-1
 * with {@code orders:write orders:read}), and a decoder that checks them as Spring Boot's does (signature, {@code
 * exp}/{@code nbf}, {@code iss}, {@code aud}).
 */
record BenchTokens(RSAKey key, String token) {

    static final String ISSUER = "http://127.0.0.1:9000";
    static final String AUDIENCE = "orders-api";

    static BenchTokens generate() throws JOSEException {
        RSAKey key =
                new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
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
        return new BenchTokens(key, jwt.serialize());
    }

    /** A new decoder for the key, validating like Spring Boot's resource-server decoder. */
    NimbusJwtDecoder decoder() {
        try {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey())
                    .signatureAlgorithm(SignatureAlgorithm.RS256)
                    .build();
            decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.of(
                    new JwtIssuerValidator(ISSUER),
                    new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(AUDIENCE)))));
            return decoder;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
