package io.orderpipeline.ingest.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of a {@code 202} (or of the {@code 200} that replays it for a repeated {@code Idempotency-Key}).
 *
 * @param orderId the order's id; also in the {@code Location} header as {@code /orders/{orderId}}
 * @param status {@code PENDING} for a PLACE, {@code CANCEL_REQUESTED} for a CANCEL, {@code AMEND_REQUESTED} for an
 *     AMEND ({@code REPLAY_REQUESTED} for an operator's REPLAY): what the command asks for, not the order's current state (ask query-ws-service for that; an amend shows
 *     there as the event {@code AMEND_REQUESTED}, then {@code AMENDED} or {@code AMEND_REJECTED})
 * @param commandId id of the command written to {@code orders.commands}
 * @param accountId the order's account (PLACE only)
 * @param clientOrderId the client's own reference (PLACE only)
 * @param acceptedAt when ingest-api accepted the request: the command's {@code requestedAt} (ISO-8601, milliseconds);
 *     a replay returns the original value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "CommandAccepted")
public record CommandAccepted(
        String orderId,

        @Schema(allowableValues = {"PENDING", "CANCEL_REQUESTED", "AMEND_REQUESTED", "REPLAY_REQUESTED"})
        String status,

        String commandId,
        String accountId,
        String clientOrderId,
        String acceptedAt) {

    public static final String PENDING = "PENDING";
    public static final String CANCEL_REQUESTED = "CANCEL_REQUESTED";
    public static final String AMEND_REQUESTED = "AMEND_REQUESTED";
}
