package io.orderpipeline.ingest.order;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The {@code POST /orders} wire contract, for the OpenAPI document only: the body is parsed by {@link
 * OrderRequestParser}, which reports every bad field instead of stopping at the first.
 */
@Schema(name = "PlaceOrderRequest", description = "A new order. Unknown fields are refused (400 unknown_field).")
record PlaceOrderRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "acc-1", maxLength = 64)
        String accountId,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "c-42", maxLength = 64)
        String clientOrderId,

        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                example = "AAPL",
                pattern = "[A-Z0-9][A-Z0-9.\\-]*",
                maxLength = 16)
        String symbol,

        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                allowableValues = {"BUY", "SELL"})
        String side,

        @Schema(
                requiredMode = Schema.RequiredMode.REQUIRED,
                allowableValues = {"LIMIT", "MARKET"})
        String orderType,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "100", minimum = "1", maximum = "1000000")
        long quantity,

        @Schema(
                description = "JSON number or decimal string, > 0, at most 6 decimals; required for LIMIT, "
                        + "absent or null for MARKET",
                example = "187.25",
                type = "string")
        String price) {}
