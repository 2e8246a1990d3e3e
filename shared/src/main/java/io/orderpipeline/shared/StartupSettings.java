package io.orderpipeline.shared;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long start-up waits for what it depends on ({@code orders.startup.*}), shared by every service.
 *
 * @param timeout how long a start-up step (topic creation and metadata, instrument seeding, the registry) retries
 *     retriable errors before the service fails with a message naming what it waited for
 * @param maxBackoff longest pause between two attempts (the first is 100 ms; each doubles)
 */
@Validated
@ConfigurationProperties("orders.startup")
public record StartupSettings(
        @NotNull @DefaultValue("3m") Duration timeout,
        @NotNull @DefaultValue("2s") Duration maxBackoff) {

    /** A wait with these bounds. */
    public StartupWait waiter() {
        return new StartupWait(timeout, maxBackoff);
    }
}
