package io.orderpipeline.query.ui;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The live page ({@code orders.ui.*}).
 *
 * @param ingestUrl base URL of ingest-api; the page submits orders through {@code POST /api/submit}, which forwards
 *     to {@code <ingestUrl>/orders} (same origin for the browser, so ingest-api needs no CORS)
 * @param submitTimeout how long a forwarded submit may take
 */
@Validated
@ConfigurationProperties("orders.ui")
public record UiProperties(
        @DefaultValue("http://127.0.0.1:8080") @NotBlank String ingestUrl,
        @DefaultValue("5s") @NotNull Duration submitTimeout) {}
