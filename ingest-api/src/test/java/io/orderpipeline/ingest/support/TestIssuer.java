package io.orderpipeline.ingest.support;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.auth.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real token issuer (the auth-server, {@link EmbeddedIssuer}), one per test JVM, started on first use and stopped
 * when the JVM exits. Every ingest-api a test starts validates tokens against it ({@link #issuerProperty()}).
 * Tokens are fetched over HTTP by the client-credentials grant, as a real client does, and reused for a few minutes
 * (they live ten).
 */
public final class TestIssuer {

    /** The demo identities of the embedded run. */
    public static final String TRADER_1 = "trader-1"; // acc-1, acc-2

    public static final String TRADER_2 = "trader-2"; // acc-3
    public static final String OPS = "ops"; // orders:admin

    private static final Duration REUSE = Duration.ofMinutes(4);

    private static EmbeddedIssuer issuer;
    private static final Map<String, Fetched> tokens = new ConcurrentHashMap<>();

    private record Fetched(String token, Instant at) {}

    private TestIssuer() {}

    private static synchronized EmbeddedIssuer issuer() {
        if (issuer == null) {
            issuer = EmbeddedIssuer.start();
            EmbeddedIssuer started = issuer;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-test-issuer"));
        }
        return issuer;
    }

    public static String issuerUri() {
        return issuer().issuerUri();
    }

    /** The property that points an ingest-api at this issuer, as {@code key=value}. */
    public static String issuerProperty() {
        return "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuerUri();
    }

    /** An access token of a demo client ({@code <client>-secret}), with all its scopes. */
    public static String token(String client) {
        Fetched fetched = tokens.compute(
                client,
                (name, known) -> known != null && known.at().plus(REUSE).isAfter(Instant.now())
                        ? known
                        : new Fetched(issuer().token(name, name + "-secret"), Instant.now()));
        return fetched.token();
    }

    /** An access token of a demo client with only {@code scope}. */
    public static String token(String client, String scope) {
        return issuer().token(client, client + "-secret", scope);
    }

    public static TestTokens testTokens() {
        return issuer().testTokens();
    }
}
