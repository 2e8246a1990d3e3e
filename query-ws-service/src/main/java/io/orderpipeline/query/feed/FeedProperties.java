package io.orderpipeline.query.feed;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The change feed every instance reads from all partitions of {@code orders.state} ({@code orders.feed.*}).
 *
 * @param lookback on start, read this far back so that recent states are known before the first subscriber asks
 * @param recentStates how many orders' latest states are remembered (newest changes win); snapshots and long-polls
 *     take the newer of this and the store
 * @param partitionRefresh how often the partition list of the topic is re-read
 */
@Validated
@ConfigurationProperties("orders.feed")
public record FeedProperties(
        @DefaultValue("30s") @NotNull Duration lookback,
        @DefaultValue("50000") @Min(16) int recentStates,
        @DefaultValue("30s") @NotNull Duration partitionRefresh) {}
