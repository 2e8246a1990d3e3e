package io.orderpipeline.processor.config;

import io.orderpipeline.processor.placement.SimulatedExchange;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The simulated exchange under {@code orders.exchange}. Defaults: a reliable exchange that answers at once. Examples:
 * {@code ORDERS_EXCHANGE_FAILURERATE=1.0} (every attempt fails transiently, so every valid order ends FAILED on the
 * DLT), {@code ORDERS_EXCHANGE_FAILURERATE=0.5} (about half the attempts fail; orders are retried and end PLACED unless
 * all 5 attempts fail, about 3%).
 *
 * @param latency time until the exchange answers; answers arrive asynchronously, no stream thread waits
 * @param failureRate share of attempts that fail transiently (retried), 0.0-1.0
 * @param fatalRate share of attempts rejected for good (FAILED at once), 0.0-1.0
 * @param seed seed of the deterministic per-(order, attempt) draws
 * @param outages fixed outage windows ({@code orders.exchange.outages[0].from/until}, ISO-8601 instants)
 * @param outageEvery period of a recurring outage (with {@code outageLength}; {@code 0} = none)
 * @param outageLength length of the recurring outage at the start of every period
 * @param ledgerFile where the exchange journals what it placed, so that it remembers across processor restarts;
 *     empty = in memory only
 */
@Validated
@ConfigurationProperties("orders.exchange")
public record ExchangeProperties(
        @NotNull @DefaultValue("0ms") Duration latency,

        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.0")
        double failureRate,

        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.0")
        double fatalRate,

        @DefaultValue("42") long seed,
        @Valid @NotNull @DefaultValue List<Outage> outages,
        @NotNull @DefaultValue("0s") Duration outageEvery,
        @NotNull @DefaultValue("0s") Duration outageLength,
        @NotNull @DefaultValue("") String ledgerFile) {

    /** An outage from {@code from} (inclusive) to {@code until} (exclusive). */
    public record Outage(@NotNull Instant from, @NotNull Instant until) {}

    SimulatedExchange.Settings settings() {
        return new SimulatedExchange.Settings(
                latency,
                failureRate,
                fatalRate,
                seed,
                outages.stream()
                        .map(o -> new SimulatedExchange.OutageWindow(o.from(), o.until()))
                        .toList(),
                outageEvery,
                outageLength);
    }
}
