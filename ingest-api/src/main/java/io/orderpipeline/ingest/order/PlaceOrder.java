package io.orderpipeline.ingest.order;

import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A {@code POST /orders} body that passed every edge check. {@code price} is {@code null} for MARKET orders and
 * otherwise already at the wire scale (6 decimals).
 */
public record PlaceOrder(
        String accountId,
        String clientOrderId,
        String symbol,
        Side side,
        OrderType orderType,
        long quantity,
        BigDecimal price) {

    /**
     * A digest of the order's meaning, used to tell "the same request again" from "another request with the same
     * Idempotency-Key". Equal for bodies that differ only in formatting, field order or the price's spelling
     * ({@code 187.25}, {@code "187.250"}).
     */
    public String fingerprint() {
        String canonical = String.join(
                "\u001f",
                accountId,
                clientOrderId,
                symbol,
                side.name(),
                orderType.name(),
                Long.toString(quantity),
                price == null ? "" : price.toPlainString());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
