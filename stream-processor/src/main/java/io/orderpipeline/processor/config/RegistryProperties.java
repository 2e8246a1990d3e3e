package io.orderpipeline.processor.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The schema registry ({@code orders.registry.url}, Apicurio's v2 API), shared by every service. */
@Validated
@ConfigurationProperties("orders.registry")
public record RegistryProperties(
        @NotBlank @DefaultValue("http://127.0.0.1:8085/apis/registry/v2")
        String url) {}
