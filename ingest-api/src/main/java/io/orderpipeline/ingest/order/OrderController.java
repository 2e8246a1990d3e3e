package io.orderpipeline.ingest.order;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders} and {@code POST /orders/{id}/cancel}. Handlers return a {@link CompletableFuture} that
 * completes on the Kafka producer's acknowledgement, so no request thread waits for the broker: the servlet request
 * goes async and is answered when the future completes.
 */
@RestController
@RequestMapping("/orders")
@Tag(name = "orders", description = "Write side: every 2xx means the command is durably in orders.commands")
class OrderController {

    private final OrderRequestParser parser;
    private final OrderIntake intake;

    OrderController(OrderRequestParser parser, OrderIntake intake) {
        this.parser = parser;
        this.intake = intake;
    }

    @Operation(
            summary = "Place an order",
            description = "Validates the order and writes a PLACE command keyed by a new order id. Answers only after "
                    + "the broker acknowledged the command (acks=all).",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = PlaceOrderRequest.class))))
    @ApiResponse(
            responseCode = "202",
            description = "Command written",
            headers = @Header(name = "Location", description = "/orders/{orderId}"),
            content = @Content(schema = @Schema(implementation = CommandAccepted.class)))
    @ApiResponse(responseCode = "400", description = "Invalid request; every bad field is listed in `errors`")
    @ApiResponse(responseCode = "413", description = "Body larger than orders.ingest.limits.max-body-size")
    @ApiResponse(responseCode = "415", description = "Content-Type is not application/json")
    @ApiResponse(
            responseCode = "503",
            description = "Kafka did not acknowledge in time; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After"))
    @PostMapping(
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    CompletableFuture<ResponseEntity<CommandAccepted>> place(
            @Parameter(hidden = true) @RequestBody(required = false) byte[] body) {
        PlaceOrder order = parser.parse(body);
        return intake.place(order).thenApply(OrderController::toResponse);
    }

    @Operation(
            summary = "Cancel an order",
            description = "Writes a CANCEL command. Whether the order can still be cancelled is decided by the "
                    + "stream-processor; a cancel of an unknown or terminal order is recorded there as a no-op.")
    @ApiResponse(
            responseCode = "202",
            description = "Cancel command written",
            headers = @Header(name = "Location", description = "/orders/{orderId}"),
            content = @Content(schema = @Schema(implementation = CommandAccepted.class)))
    @ApiResponse(responseCode = "400", description = "The id is not an order id (a UUID)")
    @ApiResponse(
            responseCode = "503",
            description = "Kafka did not acknowledge in time",
            headers = @Header(name = "Retry-After"))
    @PostMapping(
            path = "/{orderId}/cancel",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    CompletableFuture<ResponseEntity<CommandAccepted>> cancel(@PathVariable("orderId") String orderId) {
        return intake.cancel(parseOrderId(orderId)).thenApply(OrderController::toResponse);
    }

    static UUID parseOrderId(String orderId) {
        try {
            if (orderId.length() == 36) {
                return UUID.fromString(orderId);
            }
        } catch (IllegalArgumentException notAUuid) {
            // reported below
        }
        throw new InvalidRequestException(List.of(
                new FieldViolation("orderId", "format", "must be an order id as returned by POST /orders (a UUID)")));
    }

    private static ResponseEntity<CommandAccepted> toResponse(OrderIntake.Acceptance acceptance) {
        CommandAccepted body = acceptance.body();
        return ResponseEntity.status(acceptance.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .location(URI.create("/orders/" + body.orderId()))
                .body(body);
    }
}
