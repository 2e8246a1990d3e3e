package io.orderpipeline.query.kafka;

import io.orderpipeline.shared.Backoff;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the read side's long-lived loops (the change feed, the push relay, the Streams application) pace their recovery
 * from an unexpected failure ({@code orders.recovery.*}): the first pause, then doubling (with jitter) up to the
 * maximum until the loop works again.
 *
 * @param firstBackoff pause after the first failure
 * @param maxBackoff longest pause between two attempts
 */
@Validated
@ConfigurationProperties("orders.recovery")
public record RecoveryProperties(
        @DefaultValue("200ms") @NotNull Duration firstBackoff,
        @DefaultValue("10s") @NotNull Duration maxBackoff) {

    /** A fresh backoff for one loop. */
    public Backoff backoff() {
        return new Backoff(firstBackoff, maxBackoff);
    }
}
