package io.orderpipeline.processor.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reference data under {@code orders.instruments}.
 *
 * @param seed whether start-up writes the default instruments (AAPL, MSFT, GOOGL, AMZN, NVDA) to the compacted {@code
 *     instruments} topic before the topology starts
 * @param seedTimeout how long start-up waits for the broker to acknowledge them
 */
@Validated
@ConfigurationProperties("orders.instruments")
public record InstrumentProperties(
        @DefaultValue("true") boolean seed,
        @NotNull @DefaultValue("60s") Duration seedTimeout) {}
