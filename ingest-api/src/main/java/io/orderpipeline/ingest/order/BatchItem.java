package io.orderpipeline.ingest.order;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.List;

/**
 * The outcome of one order of a batch: {@code PENDING} with its order id and location (its PLACE command is written),
 * or {@code REJECTED} with the problem a single {@code POST /orders} of the same body would have been answered.
 *
 * @param index the order's position in the request array, from 0
 * @param orderId the new order's id (accepted orders only)
 * @param status {@code PENDING} or {@code REJECTED}
 * @param location {@code /orders/{orderId}} (accepted orders only)
 * @param problem why the order was refused (rejected orders only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "BatchItem")
public record BatchItem(
        int index,
        String orderId,
        @Schema(allowableValues = {"PENDING", "REJECTED"}) String status,

        String location,
        Problem problem) {

    public static final String REJECTED = "REJECTED";

    static BatchItem accepted(int index, String orderId) {
        return new BatchItem(index, orderId, CommandAccepted.PENDING, "/orders/" + orderId, null);
    }

    static BatchItem rejected(int index, List<FieldViolation> violations) {
        return new BatchItem(index, null, REJECTED, null, Problem.invalid(violations));
    }

    @JsonIgnore
    boolean isAccepted() {
        return problem == null;
    }

    /**
     * The RFC 9457 members of the {@code 400} a single {@code POST /orders} of this order would have got.
     *
     * @param errors every bad field, as in a {@code 400} problem
     */
    @Schema(name = "BatchItemProblem")
    public record Problem(URI type, String title, int status, String detail, List<FieldViolation> errors) {

        public static final URI INVALID_REQUEST = URI.create("urn:orderpipeline:problem:invalid-request");

        static Problem invalid(List<FieldViolation> violations) {
            return new Problem(
                    INVALID_REQUEST, "Invalid request", 400, InvalidRequestException.detail(violations), violations);
        }
    }
}
