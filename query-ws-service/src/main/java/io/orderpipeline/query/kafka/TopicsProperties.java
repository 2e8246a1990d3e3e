package io.orderpipeline.query.kafka;

import io.orderpipeline.schemas.TopicNames;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Topic names and sizing shared by every service ({@code orders.topics.*}); defaults are {@link TopicNames#defaults()}.
 */
@Validated
@ConfigurationProperties("orders.topics")
public record TopicsProperties(
        @DefaultValue("orders.commands") @NotBlank String commands,
        @DefaultValue("orders.place.retry") @NotBlank String retryPrefix,
        @DefaultValue("orders.place.dlt") @NotBlank String deadLetter,
        @DefaultValue("orders.events") @NotBlank String events,
        @DefaultValue("orders.state") @NotBlank String state,
        @DefaultValue("instruments") @NotBlank String instruments,
        @DefaultValue("3") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor) {

    public TopicNames names() {
        return new TopicNames(commands, retryPrefix, deadLetter, events, state, instruments);
    }
}
