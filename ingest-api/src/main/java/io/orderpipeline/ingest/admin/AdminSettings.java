package io.orderpipeline.ingest.admin;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The operators' endpoints of ingest-api under {@code orders.ingest.admin}.
 *
 * <p>Dead-letter refs name {@code orders.topics.dead-letter} ({@code place-…}) and {@code
 * orders.topics.dead-letter-queue} ({@code dlq-…}).
 *
 * @param maxReplayIds most order ids one bulk replay takes
 * @param maxRedriveRefs most refs one bulk re-drive takes (each is its own transaction)
 * @param readTimeout how long a re-drive waits to read the dead letter and the marks before it gives up ({@code 503})
 */
@Validated
@ConfigurationProperties("orders.ingest.admin")
record AdminSettings(
        @Min(1) @Max(10000) @DefaultValue("1000") int maxReplayIds,
        @Min(1) @Max(10000) @DefaultValue("100") int maxRedriveRefs,
        @NotNull @DefaultValue("5s") Duration readTimeout) {}
