package io.orderpipeline.processor.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reference data under {@code orders.instruments}.
 *
 * @param seed whether start-up writes the default instruments (AAPL, MSFT, GOOGL, AMZN, NVDA) to the compacted {@code
 *     instruments} topic before the topology starts; start-up retries until the broker acknowledges them, for at
 *     most {@code orders.startup.timeout}
 */
@Validated
@ConfigurationProperties("orders.instruments")
public record InstrumentProperties(@DefaultValue("true") boolean seed) {}
