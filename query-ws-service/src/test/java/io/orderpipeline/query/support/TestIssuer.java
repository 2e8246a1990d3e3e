package io.orderpipeline.query.support;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.auth.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real token issuer (auth-server, in this JVM) for the whole test JVM, started on first use like {@link
 * TestStack}; every {@link QueryInstance} trusts it. Tokens are fetched over HTTP with the client-credentials grant of
 * the demo identities and reused while they have minutes left.
 */
public final class TestIssuer {

    private static final Duration REUSE = Duration.ofMinutes(5);

    private static EmbeddedIssuer issuer;
    private static Path signingKey;
    private static final Map<String, Fetched> tokens = new ConcurrentHashMap<>();

    private record Fetched(String token, Instant at) {}

    private TestIssuer() {}

    public static synchronized EmbeddedIssuer issuer() {
        if (issuer == null) {
            try {
                signingKey = Files.createTempDirectory("test-issuer").resolve("signing-key.pem");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedIssuer started = EmbeddedIssuer.start(0, "orders.auth.signing-key.location=" + signingKey);
            issuer = started;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "issuer-stop"));
        }
        return issuer;
    }

    public static String issuerUri() {
        return issuer().issuerUri();
    }

    /** {@code ops}: {@code orders:admin}, sees every account. */
    public static String ops() {
        return token("ops", "ops-secret");
    }

    /** {@code trader-1}: accounts acc-1, acc-2. */
    public static String trader1() {
        return token("trader-1", "trader-1-secret");
    }

    /** {@code trader-2}: account acc-3. */
    public static String trader2() {
        return token("trader-2", "trader-2-secret");
    }

    /**
     * A token of {@code client} that lives only {@code ttl}: issued by a second issuer with the same key and issuer
     * identifier as the shared one (so every {@link QueryInstance} accepts it) but that short an access-token lifetime.
     */
    public static String shortLived(String client, String secret, Duration ttl) {
        String uri = issuerUri();
        try (EmbeddedIssuer brief = EmbeddedIssuer.start(
                0,
                "orders.auth.signing-key.location=" + signingKey,
                "orders.auth.issuer=" + uri,
                "orders.auth.access-token-ttl=" + ttl.toMillis() + "ms")) {
            return brief.token(client, secret);
        }
    }

    public static TestTokens testTokens() {
        return issuer().testTokens();
    }

    private static String token(String client, String secret) {
        Fetched fetched = tokens.compute(
                client,
                (id, known) -> known != null && known.at().plus(REUSE).isAfter(Instant.now())
                        ? known
                        : new Fetched(issuer().token(client, secret), Instant.now()));
        return fetched.token();
    }
}
