package io.orderpipeline.query.ui;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets the live page submit an order without cross-origin requests: the JSON body, the caller's {@code Authorization}
 * (its bearer token: ingest-api decides what it may submit) and an {@code Idempotency-Key} are forwarded unchanged to
 * ingest-api's {@code POST /orders}, and ingest-api's status, body and {@code Location} come back unchanged.
 * ingest-api unreachable → 502 problem. Needs a token with {@code orders:write} here already.
 */
@Tag(name = "ui", description = "Helpers of the live page")
@RestController
class SubmitProxyController {

    private static final Logger log = LoggerFactory.getLogger(SubmitProxyController.class);

    private final UiProperties properties;
    private final HttpClient http;

    SubmitProxyController(UiProperties properties) {
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(trimSlash(properties.ingestUrl()) + "/orders"))
                .timeout(properties.submitTimeout())
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .header(HttpHeaders.ACCEPT, "application/json, application/problem+json")
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (key != null && !key.isBlank()) {
            request.header("Idempotency-Key", key);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            log.info("ingest-api at {} unreachable: {}", properties.ingestUrl(), e.toString());
            return badGateway("ingest-api at " + properties.ingestUrl() + " is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return badGateway("interrupted");
        }
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(response.statusCode());
        response.headers()
                .firstValue(HttpHeaders.CONTENT_TYPE)
                .ifPresent(type -> reply.header(HttpHeaders.CONTENT_TYPE, type));
        response.headers()
                .firstValue(HttpHeaders.LOCATION)
                .ifPresent(location -> reply.header(HttpHeaders.LOCATION, location));
        response.headers()
                .firstValue(HttpHeaders.WWW_AUTHENTICATE)
                .ifPresent(challenge -> reply.header(HttpHeaders.WWW_AUTHENTICATE, challenge));
        response.headers()
                .firstValue(HttpHeaders.RETRY_AFTER)
                .ifPresent(retry -> reply.header(HttpHeaders.RETRY_AFTER, retry));
        return reply.body(response.body());
    }

    private static ResponseEntity<ProblemDetail> badGateway(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, detail);
        problem.setTitle("Order submission failed");
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
