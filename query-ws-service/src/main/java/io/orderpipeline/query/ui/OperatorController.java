package io.orderpipeline.query.ui;

import io.orderpipeline.query.query.OrderQueryService;
import io.orderpipeline.query.query.Viewer;
import io.orderpipeline.query.query.Viewers;
import io.orderpipeline.query.view.IndexedOrder;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.PageQuery;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' writes and the venue's state, for the live page's operator view ({@code orders:admin} only, see
 * {@code QuerySecurity}). Writes go to ingest-api — the write path — with the caller's token, which ingest-api checks
 * again and names as the principal of the resulting events.
 *
 * <ul>
 *   <li>{@code POST /admin/orders/replay?reason=&from=&to=}: the FAILED orders (the status index) whose {@code
 *       lastError} or a reason contains {@code reason} (case-insensitive; absent: any) and that failed ({@code
 *       updatedAt}) within {@code [from, to)} (ISO-8601 instants; absent: unbounded), at most {@code
 *       orders.ui.max-replay}, newest first, are sent in one {@code POST /admin/orders/replay} {@code
 *       {"orderIds":[…]}} to ingest-api; its status and counts come back unchanged, with headers {@code
 *       Orders-Matched} (how many were sent) and {@code Orders-Truncated: true} when more matched. None matched → 200
 *       {@code {"matched":0}} and ingest-api is not called.
 *   <li>{@code POST /api/admin/orders/{id}/replay} → ingest-api {@code POST /admin/orders/{id}/replay}
 *   <li>{@code POST /api/admin/dead-letters/{ref}/redrive} → ingest-api {@code POST /admin/dead-letters/{ref}/redrive}
 *   <li>{@code GET /api/venue/state} → the venue's {@code GET /admin/state} ({@code orders.ui.venue-url}; no token is
 *       sent to it: the venue is not one of the pipeline's resource servers)
 * </ul>
 */
@Tag(name = "admin", description = "Operators: dead letters, replays, the venue")
@RestController
class OperatorController {

    private static final int SCAN_PAGE = 500;

    private final UiProperties properties;
    private final Forwarder forwarder;
    private final OrderQueryService queries;
    private final Viewers viewers;

    OperatorController(UiProperties properties, Forwarder forwarder, OrderQueryService queries, Viewers viewers) {
        this.properties = properties;
        this.forwarder = forwarder;
        this.queries = queries;
        this.viewers = viewers;
    }

    @Operation(summary = "Replay the FAILED orders matching a reason and a time range (through ingest-api)")
    @PostMapping("/admin/orders/replay")
    ResponseEntity<?> replayMatching(
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @AuthenticationPrincipal Jwt jwt) {
        Instant after = instant("from", from);
        Instant before = instant("to", to);
        Viewer viewer = viewers.of(jwt);
        String needle = reason == null || reason.isBlank() ? null : reason.toLowerCase(Locale.ROOT);
        List<String> ids = new ArrayList<>();
        boolean truncated = false;
        String cursor = null;
        scan:
        while (true) {
            List<IndexedOrder> page =
                    queries.scan(new PageQuery(OrderStatus.FAILED.name(), null, cursor, SCAN_PAGE), viewer);
            for (IndexedOrder entry : page) {
                if (matches(entry.order(), needle, after, before)) {
                    if (ids.size() == properties.maxReplay()) {
                        truncated = true;
                        break scan;
                    }
                    ids.add(entry.order().orderId());
                }
            }
            if (page.size() < SCAN_PAGE) {
                break;
            }
            cursor = page.get(page.size() - 1).sortKey();
        }
        if (ids.isEmpty()) {
            return ResponseEntity.ok(Map.of("matched", 0));
        }
        StringBuilder body = new StringBuilder("{\"orderIds\":[");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
        }
        body.append("]}");
        ResponseEntity<String> answer = forwarder.forward(
                "ingest-api",
                properties.ingestUrl(),
                "POST",
                "/admin/orders/replay",
                body.toString(),
                authorization,
                null);
        return ResponseEntity.status(answer.getStatusCode())
                .headers(answer.getHeaders())
                .header("Orders-Matched", Integer.toString(ids.size()))
                .header("Orders-Truncated", Boolean.toString(truncated))
                .body(answer.getBody());
    }

    @Operation(summary = "Replay one FAILED order at ingest-api (proxy for the live page)")
    @PostMapping("/api/admin/orders/{orderId}/replay")
    ResponseEntity<?> replay(
            @PathVariable String orderId, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return forwarder.forward(
                "ingest-api",
                properties.ingestUrl(),
                "POST",
                "/admin/orders/" + IngestProxyController.encode(orderId) + "/replay",
                null,
                authorization,
                null);
    }

    @Operation(summary = "Re-drive one dead letter at ingest-api (proxy for the live page)")
    @PostMapping("/api/admin/dead-letters/{ref}/redrive")
    ResponseEntity<?> redrive(
            @PathVariable String ref, @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        return forwarder.forward(
                "ingest-api",
                properties.ingestUrl(),
                "POST",
                "/admin/dead-letters/" + IngestProxyController.encode(ref) + "/redrive",
                null,
                authorization,
                null);
    }

    @Operation(summary = "The venue's state: sessions, failure rate (proxy of its GET /admin/state)")
    @GetMapping("/api/venue/state")
    ResponseEntity<?> venueState() {
        return forwarder.forward("venue", properties.venueUrl(), "GET", "/admin/state", null, null, null);
    }

    private static boolean matches(OrderView order, String needle, Instant from, Instant to) {
        if (needle != null) {
            boolean inError = order.lastError() != null
                    && order.lastError().toLowerCase(Locale.ROOT).contains(needle);
            boolean inReasons = order.reasons().stream()
                    .anyMatch(r -> r.toLowerCase(Locale.ROOT).contains(needle));
            if (!inError && !inReasons) {
                return false;
            }
        }
        Instant failedAt = order.updatedAt() == null ? null : Instant.parse(order.updatedAt());
        if (from != null && (failedAt == null || failedAt.isBefore(from))) {
            return false;
        }
        return to == null || (failedAt != null && failedAt.isBefore(to));
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadParameterException(parameter, parameter + " must be an ISO-8601 instant");
        }
    }

    /** 400 for a bad filter parameter. */
    static final class BadParameterException extends RuntimeException {
        private final String parameter;

        BadParameterException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }
    }

    @org.springframework.web.bind.annotation.ExceptionHandler
    ResponseEntity<ProblemDetail> badParameter(BadParameterException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid query parameter");
        problem.setType(URI.create("urn:orders:problem:invalid-query"));
        problem.setProperty("errors", Map.of(e.parameter, e.getMessage()));
        return ResponseEntity.badRequest().body(problem);
    }
}
