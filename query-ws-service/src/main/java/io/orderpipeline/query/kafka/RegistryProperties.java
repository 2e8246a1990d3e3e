package io.orderpipeline.query.kafka;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The schema registry every Avro serde talks to ({@code orders.registry.*}). */
@Validated
@ConfigurationProperties("orders.registry")
public record RegistryProperties(
        @DefaultValue("http://127.0.0.1:8085/apis/registry/v2") @NotBlank
        String url) {}
