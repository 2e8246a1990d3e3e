package io.orderpipeline.ingest.order;

import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.ingest.web.WebSecurity;
import io.orderpipeline.security.Caller;
import io.orderpipeline.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /orders/batch}: up to {@code orders.ingest.batch.max-items} (1,000) orders in one request, written in
 * one Kafka transaction. The contract:
 *
 * <ul>
 *   <li>The body is a JSON array of order objects, each exactly the body of a single {@code POST /orders}, parsed and
 *       validated by the same {@link OrderRequestParser}. The body may be up to {@code orders.ingest.batch.max-body-size}
 *       (1 MB).
 *   <li><b>Per order</b>: valid orders are written, invalid ones are not. {@code 202} with {@code
 *       {"accepted":n,"rejected":m,"acceptedAt":…,"items":[{"index":0,"orderId":…,"status":"PENDING",
 *       "location":"/orders/…"},{"index":1,"status":"REJECTED","problem":{type,title,status,detail,errors}}]}} once
 *       every valid order is committed (all in one transaction: all of them durable, or none). Each item's {@code
 *       problem} is what a single POST of that order would have been answered.
 *   <li>No valid order: {@code 400} problem ({@code invalid-request}) with the same {@code items}; nothing written.
 *   <li>Malformed JSON, not an array, an empty array, a bad {@code Idempotency-Key}: {@code 400}; more than {@code
 *       max-items} orders: {@code 413} ({@code batch-too-large}); a body above {@code max-body-size}: {@code 413}
 *       ({@code payload-too-large}); not JSON: {@code 415}. Nothing written.
 *   <li>Kafka unavailable: {@code 503} + {@code Retry-After}, and nothing of the batch is written ({@code
 *       kafka-unavailable}), or, if the broker was lost during the commit itself, {@code outcome-unknown}: retry with
 *       the same {@code Idempotency-Key}, which names the same orders. A 2xx item is durable; an item of a refused
 *       batch never is.
 *   <li>{@code Idempotency-Key} applies to the batch: the same key and body again → {@code 200} with header {@code
 *       Idempotent-Replayed: true} and the original answer (same order ids, same {@code acceptedAt}), nothing written;
 *       the same key with another body → {@code 422}. See {@link BatchIntake}.
 *   <li>Every order of the batch is a PLACE keyed by its account, its id routed to the account, like a single POST:
 *       {@code POST /orders/{id}/cancel} works for it.
 *   <li><b>Accounts</b>: a token with {@code orders:write} is required ({@link WebSecurity}). If any item, valid or
 *       not, names an {@code accountId} the token does not act for, the whole batch is {@code 403} ({@code
 *       forbidden}, the accounts named in {@code detail}) and nothing is written: a batch is one request of one
 *       principal, and a partly refused one would be answered 2xx for a request that was not allowed. Checked before
 *       the Idempotency-Key is looked up.
 *   <li>The batch's {@code Idempotency-Key} space is the caller's (token {@code sub}): two principals with the same key
 *       name different batches and different orders, and never see each other's answers.
 * </ul>
 */
@RestController
@SecurityRequirement(name = WebSecurity.BEARER)
@RequestMapping("/orders")
@Tag(name = "orders")
class OrderBatchController {

    private final OrderRequestParser parser;
    private final BatchIntake intake;
    private final Callers callers;
    private final int maxKeyLength;
    private final int maxItems;

    OrderBatchController(OrderRequestParser parser, BatchIntake intake, Callers callers, IngestSettings settings) {
        this.parser = parser;
        this.intake = intake;
        this.callers = callers;
        this.maxKeyLength = settings.idempotency().maxKeyLength();
        this.maxItems = settings.batch().maxItems();
    }

    @Operation(
            summary = "Place up to 1,000 orders in one request",
            description = "Each order is validated as a single POST /orders would be. Valid orders are written as "
                    + "PLACE commands in one Kafka transaction, invalid ones are not (per order, not all-or-nothing); "
                    + "the answer lists, in request order, each order's id or its problem. Answers only after the "
                    + "broker acknowledged every command (acks=all); a 503 means nothing of the batch was written.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            array =
                                                    @ArraySchema(
                                                            schema = @Schema(implementation = PlaceOrderRequest.class),
                                                            minItems = 1,
                                                            maxItems = 1000))))
    @ApiResponse(
            responseCode = "202",
            description = "At least one order written; every item says PENDING (with its order id) or REJECTED (with "
                    + "its problem)",
            content = @Content(schema = @Schema(implementation = BatchAccepted.class)))
    @ApiResponse(
            responseCode = "200",
            description = "Replay: this Idempotency-Key and body were accepted before; the original answer, nothing "
                    + "new was written",
            headers = @Header(name = OrderController.REPLAYED, description = "true"),
            content = @Content(schema = @Schema(implementation = BatchAccepted.class)))
    @ApiResponse(
            responseCode = "400",
            description = "No valid order (the problem lists every item in `items`), malformed JSON, not an array, "
                    + "an empty array or a bad Idempotency-Key; nothing was written")
    @ApiResponse(
            responseCode = "401",
            description = "No valid bearer token",
            headers = @Header(name = "WWW-Authenticate"))
    @ApiResponse(
            responseCode = "403",
            description = "The token lacks orders:write, or an item names an account the token does not act for; "
                    + "nothing of the batch was written")
    @ApiResponse(
            responseCode = "413",
            description = "More than orders.ingest.batch.max-items orders, or a body above "
                    + "orders.ingest.batch.max-body-size; nothing was written")
    @ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
    @ApiResponse(
            responseCode = "422",
            description = "This Idempotency-Key was already used with a different body; nothing was written")
    @ApiResponse(
            responseCode = "503",
            description = "Kafka did not acknowledge in time; nothing of the batch was written; retry after "
                    + "Retry-After seconds",
            headers = @Header(name = "Retry-After"))
    @PostMapping(
            path = "/batch",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    CompletableFuture<ResponseEntity<BatchAccepted>> placeAll(
            @Parameter(hidden = true) @RequestBody(required = false) byte[] body,
            @Parameter(
                            description = "Makes retries of the whole batch safe: the same key and body return the "
                                    + "original answer (200, Idempotent-Replayed: true) without writing again; the "
                                    + "same key with another body is 422. Remembered for "
                                    + "orders.ingest.idempotency.retention (default 24h). 1-255 printable ASCII.")
                    @RequestHeader(name = OrderController.IDEMPOTENCY_KEY, required = false)
                    String idempotencyKey) {
        List<FieldViolation> keyViolations = OrderController.validateKey(idempotencyKey, maxKeyLength);
        List<JsonNode> elements;
        try {
            elements = parser.parseBatch(body, maxItems);
        } catch (InvalidRequestException e) {
            List<FieldViolation> violations = new ArrayList<>(keyViolations);
            violations.addAll(e.violations());
            throw new InvalidRequestException(violations);
        }
        if (!keyViolations.isEmpty()) {
            throw new InvalidRequestException(keyViolations);
        }
        List<BatchIntake.Entry> entries = new ArrayList<>(elements.size());
        for (int index = 0; index < elements.size(); index++) {
            JsonNode element = elements.get(index);
            try {
                entries.add(BatchIntake.Entry.valid(index, parser.parse(element)));
            } catch (InvalidRequestException e) {
                entries.add(BatchIntake.Entry.invalid(index, e.violations(), element.toString()));
            }
        }
        Caller caller = callers.current();
        SortedSet<String> forbidden = new TreeSet<>();
        for (int index = 0; index < elements.size(); index++) {
            BatchIntake.Entry entry = entries.get(index);
            // an invalid item counts too: it names the account its sender meant
            JsonNode named = elements.get(index).path("accountId");
            String account = entry.isValid() ? entry.order().accountId() : named.isString() ? named.asString() : null;
            if (account != null && !caller.mayActFor(account)) {
                forbidden.add(account);
            }
        }
        if (!forbidden.isEmpty()) {
            throw new AccountForbiddenException("The token does not act for account(s) " + String.join(", ", forbidden)
                    + " named in the batch; nothing of the batch was written.");
        }
        if (entries.stream().noneMatch(BatchIntake.Entry::isValid)) {
            throw new InvalidBatchException(entries.stream()
                    .map(e -> BatchItem.rejected(e.index(), e.violations()))
                    .toList());
        }
        return intake.place(entries, caller.subject(), Optional.ofNullable(idempotencyKey))
                .thenApply(answer -> {
                    ResponseEntity.BodyBuilder response =
                            ResponseEntity.status(answer.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED);
                    if (answer.replayed()) {
                        response.header(OrderController.REPLAYED, "true");
                    }
                    return response.body(answer.body());
                });
    }
}
