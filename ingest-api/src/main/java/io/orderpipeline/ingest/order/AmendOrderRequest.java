package io.orderpipeline.ingest.order;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The {@code PATCH /orders/{id}} wire contract, for the OpenAPI document only: the body is parsed by {@link
 * OrderRequestParser#parseAmend}, which reports every bad field instead of stopping at the first.
 */
@Schema(
        name = "AmendOrderRequest",
        description = "What to change: quantity and/or price (at least one). An absent or null member keeps the "
                + "order's value. Unknown fields are refused (400 unknown_field).")
record AmendOrderRequest(
        @Schema(
                description = "The new total quantity (more than what is filled already)",
                example = "150",
                minimum = "1",
                maximum = "1000000")
        Long quantity,

        @Schema(
                description = "The new limit price: JSON number or decimal string, > 0, at most 6 decimals",
                example = "187.30",
                type = "string")
        String price) {}
