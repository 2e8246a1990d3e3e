package io.orderpipeline.processor.config;

import io.orderpipeline.schemas.TopicNames;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Topic names and sizing under {@code orders.topics}, the keys every service shares. */
@Validated
@ConfigurationProperties("orders.topics")
public record TopicProperties(
        @NotBlank @DefaultValue("orders.commands") String commands,
        @NotBlank @DefaultValue("orders.place.retry") String retryPrefix,
        @NotBlank @DefaultValue("orders.place.dlt") String deadLetter,
        @NotBlank @DefaultValue("orders.events") String events,
        @NotBlank @DefaultValue("orders.state") String state,
        @NotBlank @DefaultValue("instruments") String instruments,
        @Min(1) @DefaultValue("3") int partitions,
        @Min(1) @DefaultValue("1") short replicationFactor) {

    public TopicNames names() {
        return new TopicNames(commands, retryPrefix, deadLetter, events, state, instruments);
    }
}
