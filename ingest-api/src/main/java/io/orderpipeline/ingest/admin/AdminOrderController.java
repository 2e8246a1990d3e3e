package io.orderpipeline.ingest.admin;

import io.orderpipeline.ingest.order.CommandAccepted;
import io.orderpipeline.ingest.order.FieldViolation;
import io.orderpipeline.ingest.order.InvalidRequestException;
import io.orderpipeline.ingest.web.WebSecurity;
import io.orderpipeline.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Operators' replays of FAILED orders ({@code orders:admin} only, see {@link WebSecurity}). The answer says the REPLAY
 * command is durably queued; whether it reopened the order ({@code REPLAYED}) or changed nothing ({@code
 * REPLAY_IGNORED}: not FAILED, replayed already, or no longer valid) shows in the order's history.
 */
@RestController
@RequestMapping("/admin/orders")
@Tag(name = "admin", description = "Operators: replay FAILED orders, re-drive dead letters (orders:admin)")
@SecurityRequirement(name = WebSecurity.BEARER)
class AdminOrderController {

    private final OrderReplays replays;
    private final Callers callers;
    private final AdminSettings settings;

    AdminOrderController(OrderReplays replays, Callers callers, AdminSettings settings) {
        this.replays = replays;
        this.callers = callers;
        this.settings = settings;
    }

    /** Counts and per-id outcomes of a bulk replay. */
    record BulkReplayResult(Map<String, Integer> counts, List<Item> items) {

        /** {@code status}: {@code REPLAY_REQUESTED}, {@code DUPLICATE} (listed twice, written once) or {@code INVALID}. */
        record Item(String orderId, String status, String commandId) {}
    }

    @Operation(
            summary = "Replay a FAILED order",
            description = "Writes a REPLAY command routed like a cancel. The stream-processor reopens the order if it "
                    + "is FAILED (FAILED -> RETRYING, event REPLAYED naming the operator, a new round of attempts), "
                    + "after validating it again against the current reference data and account limit; any other "
                    + "order, or the same replay twice, is a REPLAY_IGNORED no-op.")
    @ApiResponse(responseCode = "202", description = "REPLAY command written; status REPLAY_REQUESTED")
    @ApiResponse(responseCode = "400", description = "The id is not an order id")
    @ApiResponse(responseCode = "401", description = "No valid bearer token")
    @ApiResponse(responseCode = "403", description = "The token lacks orders:admin")
    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time")
    @PostMapping(
            path = "/{orderId}/replay",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    CompletableFuture<ResponseEntity<CommandAccepted>> replay(
            @PathVariable("orderId") String orderId,
            @Parameter(description = "Optional; pins the REPLAY command's id so that retries are recognisable")
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    String idempotencyKey) {
        UUID id = orderId(orderId).orElseThrow(() -> new InvalidRequestException(List.of(invalidId("orderId"))));
        return replays.replay(id, callers.current().subject(), Optional.ofNullable(idempotencyKey))
                .thenApply(accepted -> ResponseEntity.accepted()
                        .location(URI.create("/orders/" + accepted.orderId()))
                        .body(accepted));
    }

    @Operation(
            summary = "Replay many FAILED orders",
            description = "Body: a JSON array of order ids, or {\"orderIds\":[…]} (at most"
                    + " orders.ingest.admin.max-replay-ids, default 1000)."
                    + " Every valid, distinct id gets a REPLAY command, all in one transaction; the answer counts"
                    + " them by outcome. query-ws-service's POST /admin/orders/replay?reason=&from=&to= finds FAILED"
                    + " orders and calls this.")
    @ApiResponse(responseCode = "202", description = "Commands written for every valid id; counts and items")
    @ApiResponse(responseCode = "400", description = "Not a JSON array of strings, empty, too long, or no valid id")
    @ApiResponse(responseCode = "403", description = "The token lacks orders:admin")
    @PostMapping(
            path = "/replay",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    CompletableFuture<ResponseEntity<BulkReplayResult>> replayAll(@RequestBody(required = false) JsonNode body) {
        List<String> orderIds = BulkBody.strings(body, "orderIds", settings.maxReplayIds());
        Set<UUID> distinct = new LinkedHashSet<>();
        List<BulkReplayResult.Item> rejected = new ArrayList<>();
        for (String candidate : orderIds) {
            Optional<UUID> id = orderId(candidate);
            if (id.isEmpty()) {
                rejected.add(new BulkReplayResult.Item(candidate, "INVALID", null));
            } else if (!distinct.add(id.get())) {
                rejected.add(new BulkReplayResult.Item(candidate, "DUPLICATE", null));
            }
        }
        if (distinct.isEmpty()) {
            throw new InvalidRequestException(List.of(invalidId("body")));
        }
        return replays.replayAll(List.copyOf(distinct), callers.current().subject())
                .thenApply(written -> {
                    List<BulkReplayResult.Item> items = new ArrayList<>();
                    written.forEach(a -> items.add(new BulkReplayResult.Item(a.orderId(), a.status(), a.commandId())));
                    items.addAll(rejected);
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    items.forEach(item -> counts.merge(item.status(), 1, Integer::sum));
                    return ResponseEntity.status(HttpStatus.ACCEPTED).body(new BulkReplayResult(counts, items));
                });
    }

    private static Optional<UUID> orderId(String candidate) {
        try {
            return candidate != null && candidate.length() == 36
                    ? Optional.of(UUID.fromString(candidate))
                    : Optional.empty();
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    private static FieldViolation invalidId(String field) {
        return new FieldViolation(field, "format", "must be an order id as returned by POST /orders (a UUID)");
    }
}
