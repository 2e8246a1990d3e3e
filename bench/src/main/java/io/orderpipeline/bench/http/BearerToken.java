package io.orderpipeline.bench.http;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bench authenticates like a real client: an access token by the client-credentials grant from the issuer's
 * {@code /oauth2/token}, held and sent on every request ({@code Authorization: Bearer …}) until shortly before it
 * expires, then renewed in the background while the old one is still sent, so no request waits for the issuer and none
 * carries an expired token.
 *
 * <p>One token is {@link #install installed} for the whole run (the request builders of {@link LoadLoop.Endpoint}, the
 * JDK HTTP clients of the phases and the STOMP CONNECT read it); a phase that measures another principal passes its
 * own token explicitly.
 */
public final class BearerToken {

    private static final Logger log = LoggerFactory.getLogger(BearerToken.class);
    /** Renewed this long before it expires (tokens of the embedded issuer live 10 minutes). */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(90);

    private static volatile BearerToken installed;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI tokenEndpoint;
    private final String clientId;
    private final String basic;
    private final String form;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private volatile String headerLine;
    private volatile long renewAtNanos;

    private BearerToken(URI issuer, String clientId, String secret, String scope) {
        this.tokenEndpoint = URI.create(issuer.toString().replaceFirst("/$", "") + "/oauth2/token");
        this.clientId = clientId;
        this.form = "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
        this.basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Fetches a first token of {@code client} ({@code id:secret}) from {@code issuer}.
     *
     * @param scope space-separated scopes to ask for (the embedded issuer grants none that are not asked for)
     * @throws IllegalStateException if the issuer refuses or does not answer
     */
    public static BearerToken fetch(URI issuer, String client, String scope) {
        int colon = client.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("client as id:secret, not " + client);
        }
        BearerToken token = new BearerToken(issuer, client.substring(0, colon), client.substring(colon + 1), scope);
        token.renew();
        return token;
    }

    /** Makes {@code token} the one every request of the run carries. */
    public static void install(BearerToken token) {
        installed = token;
    }

    /** The installed token's header line ({@code Authorization: Bearer …\r\n}), or "" if none is installed. */
    public static String installedHeaderLine() {
        BearerToken token = installed;
        return token == null ? "" : token.headerLine();
    }

    /** The installed token's {@code Authorization} value, or null if none is installed. */
    public static String installedValue() {
        BearerToken token = installed;
        return token == null ? null : token.value();
    }

    /** The installed token's client id, or "no token". */
    public static String installedClientId() {
        BearerToken token = installed;
        return token == null ? "no token" : token.clientId();
    }

    public String clientId() {
        return clientId;
    }

    /** {@code Authorization: Bearer <token>\r\n}, the current token; starts a renewal when it is due. */
    public String headerLine() {
        if (System.nanoTime() - renewAtNanos >= 0 && renewing.compareAndSet(false, true)) {
            CompletableFuture.runAsync(() -> {
                try {
                    renew();
                } catch (RuntimeException e) {
                    log.warn(
                            "renewing the token of {} failed (the current one is sent until it expires): {}",
                            clientId,
                            e.toString());
                } finally {
                    renewing.set(false);
                }
            });
        }
        return headerLine;
    }

    /** {@code Bearer <token>}. */
    public String value() {
        String line = headerLine();
        return line.substring("Authorization: ".length(), line.length() - 2);
    }

    private void renew() {
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the issuer at " + tokenEndpoint + " refused a token for " + clientId
                        + ": " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
            }
            String access = JsonScan.stringField(response.body(), "access_token");
            long expiresIn = JsonScan.longField(response.body(), "expires_in", -1);
            if (access == null || expiresIn <= 0) {
                throw new IllegalStateException("no access_token/expires_in from " + tokenEndpoint);
            }
            long renewIn = Math.max(expiresIn / 2, expiresIn - RENEW_BEFORE.toSeconds());
            headerLine = "Authorization: Bearer " + access + "\r\n";
            renewAtNanos = System.nanoTime() + Duration.ofSeconds(renewIn).toNanos();
        } catch (IOException e) {
            throw new IllegalStateException("no token for " + clientId + " from " + tokenEndpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
