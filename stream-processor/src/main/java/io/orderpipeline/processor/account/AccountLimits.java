package io.orderpipeline.processor.account;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Objects;

/**
 * The most open notional an account may hold. Accounts need no registration: unknown ones get {@code defaultLimit}.
 *
 * @param defaultLimit limit of every account not listed in {@code limits}
 * @param limits per-account overrides
 */
public record AccountLimits(BigDecimal defaultLimit, Map<String, BigDecimal> limits) {

    public AccountLimits {
        Objects.requireNonNull(defaultLimit, "defaultLimit");
        limits = Map.copyOf(limits);
    }

    /** 1,000,000.00 per account. */
    public static AccountLimits defaults() {
        return new AccountLimits(new BigDecimal("1000000"), Map.of());
    }

    public BigDecimal limitFor(String accountId) {
        return limits.getOrDefault(accountId, defaultLimit).setScale(6, RoundingMode.HALF_UP);
    }
}
