package io.orderpipeline.shared;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The schema registry under {@code orders.registry}, shared by every service.
 *
 * @param url Apicurio's v2 API; every Avro serde of every service talks to it
 */
@Validated
@ConfigurationProperties("orders.registry")
public record RegistrySettings(
        @NotBlank @DefaultValue("http://127.0.0.1:8085/apis/registry/v2")
        String url) {}
