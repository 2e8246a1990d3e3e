package io.orderpipeline.ingest.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain JDK HTTP client for one ingest-api instance, so tests see exactly what a real client sees. Every request
 * carries a real bearer token of {@code trader-1} (accounts acc-1, acc-2) from {@link TestIssuer}, unless the request
 * has its own {@code Authorization} or the client was made {@link #as} another identity.
 */
public final class Http {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    /** The token of each request; {@code null}: none. */
    private final Supplier<String> token;

    public Http(int port) {
        this("http://127.0.0.1:" + port, () -> TestIssuer.token(TestIssuer.TRADER_1));
    }

    private Http(String base, Supplier<String> token) {
        this.base = base;
        this.token = token;
    }

    /** The same instance, as the demo client {@code client} ({@link TestIssuer#token(String)}). */
    public Http as(String client) {
        return new Http(base, () -> TestIssuer.token(client));
    }

    /** The same instance, every request with {@code bearerToken}. */
    public Http withToken(String bearerToken) {
        return new Http(base, () -> bearerToken);
    }

    /** The same instance, without any token. */
    public Http anonymous() {
        return new Http(base, () -> null);
    }

    public HttpResponse<String> postJson(String path, String body, String... headers) {
        return sendJson("POST", path, body, headers);
    }

    public HttpResponse<String> patchJson(String path, String body, String... headers) {
        return sendJson("PATCH", path, body, headers);
    }

    private HttpResponse<String> sendJson(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        String bearer = token.get();
        if (bearer != null && request.headers().firstValue("Authorization").isEmpty()) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                    .header("Authorization", "Bearer " + bearer)
                    .build();
        }
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Waits until the instance reports ready (Kafka reachable, producer initialized, idempotency keys loaded). */
    public void awaitReady() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** A valid LIMIT order body for {@code clientOrderId}. */
    public static String limitOrder(String clientOrderId) {
        return """
                {"accountId":"acc-1","clientOrderId":"%s","symbol":"AAPL","side":"BUY",\
                "orderType":"LIMIT","quantity":100,"price":"187.25"}""".formatted(clientOrderId);
    }
}
