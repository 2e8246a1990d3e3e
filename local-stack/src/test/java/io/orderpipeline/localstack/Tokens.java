package io.orderpipeline.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens from a running issuer, as a client gets them: the client-credentials grant over HTTP against its
 * {@code /oauth2/token} (HTTP Basic client authentication, asking for every scope the client is registered with). A token is
 * reused until a minute before it expires, then fetched again, so a long test never sends an expired one.
 */
final class Tokens {

    /** The embedded issuer's demo clients (auth-server's {@code auth-server.yml}). */
    enum Client {
        /** orders:write orders:read, accounts acc-1 and acc-2. */
        TRADER_1("trader-1", "trader-1-secret", "orders:write orders:read"),
        /** orders:write orders:read, account acc-3. */
        TRADER_2("trader-2", "trader-2-secret", "orders:write orders:read"),
        /** orders:admin orders:write orders:read: every account. */
        OPS("ops", "ops-secret", "orders:admin orders:write orders:read");

        final String id;
        final String secret;
        /** What it asks for: without a scope parameter the issuer grants none. */
        final String scope;

        Client(String id, String secret, String scope) {
            this.id = id;
            this.secret = secret;
            this.scope = scope;
        }
    }

    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI tokenEndpoint;
    private final Map<Client, Token> cache = new ConcurrentHashMap<>();

    /** @param issuerUrl where the issuer listens, e.g. {@code http://127.0.0.1:9000} */
    Tokens(String issuerUrl) {
        this.tokenEndpoint = URI.create(issuerUrl + "/oauth2/token");
    }

    /** A valid access token of {@code client}, fetched now or reused. */
    String of(Client client) {
        return cache.compute(client, (key, held) -> held != null && held.fresh() ? held : fetch(key))
                .value();
    }

    /** The {@code Authorization} header value for {@code client}. */
    String bearer(Client client) {
        return "Bearer " + of(client);
    }

    private Token fetch(Client client) {
        String basic =
                Base64.getEncoder().encodeToString((client.id + ":" + client.secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + URLEncoder.encode(client.scope, StandardCharsets.UTF_8)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the issuer refused a token for " + client.id + ": "
                        + response.statusCode() + " " + response.body());
            }
            JsonNode body = JSON.readTree(response.body());
            return new Token(
                    body.path("access_token").asString(),
                    Instant.now().plusSeconds(body.path("expires_in").asLong()));
        } catch (IOException e) {
            throw new IllegalStateException("no token for " + client.id + " from " + tokenEndpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private record Token(String value, Instant expiresAt) {

        boolean fresh() {
            return Instant.now().plus(RENEW_BEFORE_EXPIRY).isBefore(expiresAt);
        }
    }
}
