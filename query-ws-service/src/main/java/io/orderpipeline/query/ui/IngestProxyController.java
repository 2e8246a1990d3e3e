package io.orderpipeline.query.ui;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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

    private final UiProperties properties;
    private final Forwarder forwarder;

    IngestProxyController(UiProperties properties, Forwarder forwarder) {
        this.properties = properties;
        this.forwarder = forwarder;
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
        return forwarder.forward("ingest-api", properties.ingestUrl(), method, path, body, authorization, key);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
