package io.orderpipeline.query.ui;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets the live page write without cross-origin requests: submit, cancel and amend are forwarded to ingest-api with
 * the caller's {@code Authorization} (its bearer token: ingest-api decides what it may do) and {@code Idempotency-Key}
 * unchanged, and ingest-api's status, body and {@code Location} come back unchanged. ingest-api unreachable → 502
 * problem. Needs a token with {@code orders:write} here already.
 *
 * <ul>
 *   <li>{@code POST /api/submit} → {@code POST /orders}
 *   <li>{@code POST /api/orders/{id}/cancel} → {@code POST /orders/{id}/cancel}
 *   <li>{@code PATCH /api/orders/{id}} ({@code {"quantity":..,"price":..}}) → {@code PATCH /orders/{id}}
 * </ul>
 */
@Tag(name = "ui", description = "Helpers of the live page")
@RestController
class IngestProxyController {

    private static final Logger log = LoggerFactory.getLogger(IngestProxyController.class);

    private final UiProperties properties;
    private final HttpClient http;

    IngestProxyController(UiProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.submitTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Operation(summary = "Submit an order to ingest-api (proxy for the live page)")
    @PostMapping(value = "/api/submit", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> submit(
            @RequestBody String body,
            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        return forward("POST", "/orders", body, authorization, key);
    }

    @Operation(summary = "Cancel an order at ingest-api (proxy for the live page)")
    @PostMapping("/api/orders/{orderId}/cancel")
    ResponseEntity<?> cancel(
            @PathVariable String orderId,
            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        return forward("POST", "/orders/" + encode(orderId) + "/cancel", null, authorization, key);
    }

    @Operation(summary = "Amend an order's quantity and/or limit price at ingest-api (proxy for the live page)")
    @PatchMapping(value = "/api/orders/{orderId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> amend(
            @PathVariable String orderId,
            @RequestBody String body,
            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RequestHeader(value = "Idempotency-Key", required = false) String key) {
        return forward("PATCH", "/orders/" + encode(orderId), body, authorization, key);
    }

    /** @param body {@code null} for a request without one */
    private ResponseEntity<?> forward(String method, String path, String body, String authorization, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(trimSlash(properties.ingestUrl()) + path))
                .timeout(properties.submitTimeout())
                .header(HttpHeaders.ACCEPT, "application/json, application/problem+json")
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
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
            log.info("ingest-api at {} unreachable for {} {}: {}", properties.ingestUrl(), method, path, e.toString());
            return badGateway("ingest-api at " + properties.ingestUrl() + " is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return badGateway("interrupted");
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

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ResponseEntity<ProblemDetail> badGateway(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
        problem.setTitle("ingest-api unreachable");
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
