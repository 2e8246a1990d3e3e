package io.orderpipeline.query.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Forwards one request of the live page to another service (ingest-api, the venue's admin API) with the caller's
 * {@code Authorization} and {@code Idempotency-Key} unchanged, and hands its status, body and {@code Content-Type},
 * {@code Location}, {@code WWW-Authenticate}, {@code Retry-After} back unchanged; unreachable → 502 problem.
 */
@Component
class Forwarder {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final HttpClient http;
    private final Duration timeout;

    Forwarder(UiProperties properties) {
        this.timeout = properties.submitTimeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * @param service what the 502 problem names
     * @param body {@code null} for a request without one
     * @param authorization {@code null} to send none
     */
    ResponseEntity<String> forward(
            String service, String baseUrl, String method, String path, String body, String authorization, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(trimSlash(baseUrl) + path))
                .timeout(timeout)
                .header(HttpHeaders.ACCEPT, "application/json, application/problem+json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (body != null) {
            request.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
        }
        if (key != null && !key.isBlank()) {
            request.header("Idempotency-Key", key);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            log.info("{} at {} unreachable for {} {}: {}", service, baseUrl, method, path, e.toString());
            return badGateway(service, service + " at " + baseUrl + " is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return badGateway(service, "interrupted");
        }
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(response.statusCode());
        for (String header : List.of(
                HttpHeaders.CONTENT_TYPE,
                HttpHeaders.LOCATION,
                HttpHeaders.WWW_AUTHENTICATE,
                HttpHeaders.RETRY_AFTER)) {
            response.headers().firstValue(header).ifPresent(value -> reply.header(header, value));
        }
        return reply.body(response.body());
    }

    private static ResponseEntity<String> badGateway(String service, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
        String title = service + " unreachable";
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":502,\"detail\":\""
                        + detail.replace("\"", "'") + "\"}");
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
