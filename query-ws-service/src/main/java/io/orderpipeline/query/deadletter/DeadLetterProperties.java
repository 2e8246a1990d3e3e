package io.orderpipeline.query.deadletter;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Dead-letter browsing ({@code orders.dead-letters.*}). The topics are the shared ones: the placement DLT {@code
 * orders.topics.dead-letter}, the processor's dead-letter queue {@code orders.topics.dead-letter-queue}, the re-drive
 * marks {@code orders.topics.redrives}.
 *
 * @param defaultLimit entries of a listing page when {@code limit} is not given
 * @param maxLimit the largest {@code limit}
 * @param summaryScan the newest records per topic that {@code /admin/dead-letters/summary} counts
 * @param readTimeout how long one request may poll the broker before it answers with what it read
 */
@Validated
@ConfigurationProperties("orders.dead-letters")
public record DeadLetterProperties(
        @DefaultValue("50") @Min(1) int defaultLimit,
        @DefaultValue("500") @Min(1) int maxLimit,
        @DefaultValue("10000") @Min(1) int summaryScan,
        @DefaultValue("5s") @NotNull Duration readTimeout) {}
