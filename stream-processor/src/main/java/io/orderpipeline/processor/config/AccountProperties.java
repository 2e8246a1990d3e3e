package io.orderpipeline.processor.config;

import io.orderpipeline.processor.account.AccountLimits;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-account open-notional limits under {@code orders.accounts}. Accounts need no registration.
 *
 * @param defaultLimit limit of every account not named in {@code limits}
 * @param limits overrides, e.g. {@code orders.accounts.limits.acc-7=50000}
 */
@Validated
@ConfigurationProperties("orders.accounts")
public record AccountProperties(
        @NotNull @DefaultValue("1000000") BigDecimal defaultLimit,
        @NotNull @DefaultValue Map<String, BigDecimal> limits) {

    AccountLimits accountLimits() {
        return new AccountLimits(defaultLimit, limits);
    }
}
