package io.orderpipeline.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints access tokens the way the issuer does — RS256 with its key and {@code kid}, {@code iss}, {@code aud}, {@code
 * sub}, {@code client_id}, {@code scope} (a JSON array), {@code accounts}, {@code iat}, {@code nbf}, {@code exp}
 * (5 minutes) and {@code jti} — and hostile variants of them, each wrong in exactly one way ({@link Hostile}), for
 * the tests that prove a resource server refuses them. Get one from {@link EmbeddedIssuer#testTokens()}.
 *
 * <pre>{@code
 * TestTokens tokens = issuer.testTokens();
 * String good = tokens.valid("trader-1", List.of("acc-1"), "orders:write");
 * String bad = tokens.hostile(Hostile.EXPIRED, "trader-1", List.of("acc-1"), "orders:write");
 * }</pre>
 *
 * Test support: it holds the issuer's private key.
 */
public final class TestTokens {

    /** How long a {@link #valid} token lives. */
    static final Duration LIFETIME = Duration.ofMinutes(5);

    /** Well beyond any clock skew a resource server allows (Spring's default: 60 s). */
    static final Duration FAR = Duration.ofMinutes(10);

    /** Each is the {@link #valid} token with exactly one thing wrong. */
    public enum Hostile {
        /** {@code exp} 10 minutes ago. */
        EXPIRED,
        /** {@code nbf} (and {@code iat}) 10 minutes ahead. */
        NOT_YET_VALID,
        /** {@code iss} of another issuer. */
        WRONG_ISSUER,
        /** {@code aud} of another API. */
        WRONG_AUDIENCE,
        /** Signed for no accounts, then the payload rewritten to carry the given ones; the signature is kept. */
        TAMPERED_PAYLOAD,
        /** The issuer's signature with one byte flipped. */
        BAD_SIGNATURE,
        /** {@code alg: none}, no signature (an unsecured JWT). */
        ALG_NONE,
        /** HS256 with the issuer's public key (its PEM text) as the HMAC secret: the algorithm-confusion attack. */
        HS256_WITH_PUBLIC_KEY,
        /** RS256 with another key under the issuer's {@code kid}, as if from another key set. */
        OTHER_KEY_SET
    }

    private final RSAKey signingKey;
    private final String issuer;
    private final String audience;

    TestTokens(RSAKey signingKey, String issuer, String audience) {
        this.signingKey = signingKey;
        this.issuer = issuer;
        this.audience = audience;
    }

    /** A token the issuer could have issued: every resource server must accept it. */
    public String valid(String subject, List<String> accounts, String... scopes) {
        return rs256(claims(subject, accounts, scopes).build(), signingKey);
    }

    /** The {@link #valid} token with the one defect {@code kind} names. */
    public String hostile(Hostile kind, String subject, List<String> accounts, String... scopes) {
        JWTClaimsSet.Builder claims = claims(subject, accounts, scopes);
        Instant now = Instant.now();
        return switch (kind) {
            case EXPIRED ->
                rs256(
                        claims.issueTime(date(now.minus(FAR).minus(LIFETIME)))
                                .notBeforeTime(date(now.minus(FAR).minus(LIFETIME)))
                                .expirationTime(date(now.minus(FAR)))
                                .build(),
                        signingKey);
            case NOT_YET_VALID ->
                rs256(
                        claims.issueTime(date(now.plus(FAR)))
                                .notBeforeTime(date(now.plus(FAR)))
                                .expirationTime(date(now.plus(FAR).plus(LIFETIME)))
                                .build(),
                        signingKey);
            case WRONG_ISSUER -> rs256(claims.issuer("https://issuer.invalid").build(), signingKey);
            case WRONG_AUDIENCE -> rs256(claims.audience("not-" + audience).build(), signingKey);
            case TAMPERED_PAYLOAD -> {
                String[] signed = rs256(
                                claims.claim(AccountsClaim.ACCOUNTS, List.of()).build(), signingKey)
                        .split("\\.");
                JWTClaimsSet rewritten =
                        claims.claim(AccountsClaim.ACCOUNTS, accounts).build();
                yield signed[0] + "." + Base64URL.encode(rewritten.toString()) + "." + signed[2];
            }
            case BAD_SIGNATURE -> {
                String[] parts = valid(subject, accounts, scopes).split("\\.");
                byte[] signature = Base64URL.from(parts[2]).decode();
                signature[0] ^= 0x01;
                yield parts[0] + "." + parts[1] + "." + Base64URL.encode(signature);
            }
            case ALG_NONE -> new PlainJWT(claims.build()).serialize();
            case HS256_WITH_PUBLIC_KEY -> hs256WithPublicKey(claims.build());
            case OTHER_KEY_SET -> rs256(claims.build(), otherKey());
        };
    }

    private JWTClaimsSet.Builder claims(String subject, List<String> accounts, String... scopes) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .claim("client_id", subject)
                .claim("scope", Arrays.asList(scopes))
                .claim(AccountsClaim.ACCOUNTS, List.copyOf(accounts))
                .issueTime(date(now))
                .notBeforeTime(date(now))
                .expirationTime(date(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString());
    }

    private String rs256(JWTClaimsSet claims, RSAKey key) {
        return sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(signingKey.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims,
                signer(key));
    }

    private String hs256WithPublicKey(JWTClaimsSet claims) {
        try {
            byte[] secret = SigningKeys.pem(
                            "PUBLIC KEY", signingKey.toPublicKey().getEncoded())
                    .getBytes(StandardCharsets.US_ASCII);
            return sign(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .keyID(signingKey.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims,
                    new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey otherKey() {
        return SigningKeys.toJwk(SigningKeys.generate());
    }

    private static JWSSigner signer(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
        return jwt.serialize();
    }

    private static Date date(Instant instant) {
        return Date.from(instant);
    }
}
