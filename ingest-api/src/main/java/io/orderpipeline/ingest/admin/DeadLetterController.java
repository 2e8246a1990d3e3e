package io.orderpipeline.ingest.admin;

import io.orderpipeline.ingest.order.InvalidRequestException;
import io.orderpipeline.ingest.web.WebSecurity;
import io.orderpipeline.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Operators' re-drives of dead letters ({@code orders:admin} only): exactly once per ref, see {@link Redrives}. The
 * dead letters themselves are listed by query-ws-service ({@code GET /admin/dead-letters}), with the same refs.
 */
@RestController
@RequestMapping("/admin/dead-letters")
@Tag(name = "admin")
@SecurityRequirement(name = WebSecurity.BEARER)
class DeadLetterController {

    private final Redrives redrives;
    private final Callers callers;
    private final AdminSettings settings;

    DeadLetterController(Redrives redrives, Callers callers, AdminSettings settings) {
        this.redrives = redrives;
        this.callers = callers;
        this.settings = settings;
    }

    /** Counts and per-ref outcomes of a bulk re-drive. */
    record BulkRedriveResult(Map<String, Integer> counts, List<Item> items) {

        /**
         * {@code status}: {@code REDRIVEN}, {@code ALREADY_REDRIVEN}, {@code NOT_FOUND}, {@code NOT_REDRIVABLE},
         * {@code INVALID}, {@code UNAVAILABLE}; {@code redriven} where it went, {@code detail} why not.
         */
        record Item(String ref, String status, Redrives.Redriven redriven, String detail) {}
    }

    @Operation(
            summary = "Re-drive a dead letter",
            description = "A dlq record goes back to its original topic and partition (original key, value and "
                    + "headers); a place record (a FAILED order's last attempt) becomes a REPLAY of its order. In one "
                    + "transaction with a mark on orders.redrives and a REDRIVEN event (naming the operator) on "
                    + "orders.events: a ref is re-driven at most once.")
    @ApiResponse(responseCode = "200", description = "Re-driven: where the record went")
    @ApiResponse(responseCode = "400", description = "Not a ref (<place|dlq>-<partition>-<offset>)")
    @ApiResponse(responseCode = "403", description = "The token lacks orders:admin")
    @ApiResponse(responseCode = "404", description = "No dead letter at that ref")
    @ApiResponse(responseCode = "409", description = "Re-driven before (or by a concurrent request); nothing written")
    @ApiResponse(responseCode = "422", description = "The dead letter names no original topic; nothing written")
    @ApiResponse(responseCode = "503", description = "Kafka did not answer in time; nothing committed")
    @PostMapping(
            path = "/{ref}/redrive",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    Redrives.Redriven redrive(@PathVariable("ref") String ref) {
        return redrives.redrive(redrives.parse(ref), callers.current().subject());
    }

    @Operation(
            summary = "Re-drive many dead letters",
            description = "Body: a JSON array of refs, or {\"refs\":[…]} (at most"
                    + " orders.ingest.admin.max-redrive-refs, default 100). "
                    + "Each is re-driven as by POST /admin/dead-letters/{ref}/redrive, in its own transaction; the "
                    + "answer counts them by outcome.")
    @ApiResponse(responseCode = "200", description = "Counts and items")
    @ApiResponse(responseCode = "400", description = "Not a JSON array of strings, empty or too long")
    @ApiResponse(responseCode = "403", description = "The token lacks orders:admin")
    @PostMapping(
            path = "/redrive",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    BulkRedriveResult redriveAll(@RequestBody(required = false) JsonNode body) {
        List<String> refs = BulkBody.strings(body, "refs", settings.maxRedriveRefs());
        String principal = callers.current().subject();
        List<BulkRedriveResult.Item> items = new ArrayList<>();
        for (String ref : new LinkedHashSet<>(refs)) {
            items.add(redriveOne(ref, principal));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        items.forEach(item -> counts.merge(item.status(), 1, Integer::sum));
        return new BulkRedriveResult(counts, items);
    }

    private BulkRedriveResult.Item redriveOne(String ref, String principal) {
        try {
            return new BulkRedriveResult.Item(ref, "REDRIVEN", redrives.redrive(redrives.parse(ref), principal), null);
        } catch (InvalidRequestException e) {
            return new BulkRedriveResult.Item(ref, "INVALID", null, e.getMessage());
        } catch (ErrorResponseException e) {
            ProblemDetail problem = e.getBody();
            String status = switch (e.getStatusCode().value()) {
                case 404 -> "NOT_FOUND";
                case 409 -> "ALREADY_REDRIVEN";
                case 422 -> "NOT_REDRIVABLE";
                default -> "UNAVAILABLE";
            };
            return new BulkRedriveResult.Item(ref, status, null, problem.getDetail());
        }
    }
}
