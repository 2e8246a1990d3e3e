package io.orderpipeline.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.converter.RsaKeyConverters;

/**
 * Where the issuer's RS256 key comes from ({@link AuthSettings.SigningKey}): generated per start, or read from a
 * PKCS#8 PEM file, which is created with a fresh key the first time if allowed. The key id is the RFC 7638 thumbprint
 * of the public key, so the same file always yields the same {@code kid}, and the tokens issued before a restart
 * still verify against the JWKS served after it.
 */
final class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final int KEY_SIZE = 2048;

    private SigningKeys() {}

    static RSAKey load(AuthSettings.SigningKey settings) {
        if (settings.location().isBlank()) {
            log.info("Signing with a key generated for this run: tokens do not survive a restart"
                    + " (orders.auth.signing-key.location keeps one in a file)");
            return toJwk(generate());
        }
        Path file = Path.of(settings.location()).toAbsolutePath();
        if (!Files.exists(file)) {
            if (!settings.createIfMissing()) {
                throw new IllegalStateException("signing key " + file
                        + " does not exist (orders.auth.signing-key.location; create-if-missing is off)");
            }
            create(file);
        }
        RSAKey key = toJwk(read(file));
        log.info("Signing with the key in {} (kid {})", file, key.getKeyID());
        return key;
    }

    /** A fresh 2048-bit RSA key pair. */
    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_SIZE);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    static RSAKey toJwk(KeyPair pair) {
        try {
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyIDFromThumbprint()
                    .build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute the key's thumbprint", e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Written to a temporary file first and moved into place, so a crash never leaves half a key behind. */
    private static void create(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary =
                    Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                ownerOnly(temporary);
                Files.writeString(
                        temporary, pem("PRIVATE KEY", generate().getPrivate().getEncoded()), StandardCharsets.US_ASCII);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            log.warn("Created a new signing key in {}: tokens signed by any earlier key no longer verify", file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the signing key " + file, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static KeyPair read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            RSAPrivateKey privateKey = RsaKeyConverters.pkcs8().convert(in);
            if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException(file + " holds no RSA CRT key, its public half cannot be derived");
            }
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyPair(publicKey, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not a PKCS#8 PEM RSA private key", e);
        }
    }
}
