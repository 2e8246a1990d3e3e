package io.orderpipeline.query.ui;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The live page ({@code orders.ui.*}); {@code GET /config.json} hands the sign-in settings to the page.
 *
 * @param ingestUrl base URL of ingest-api: {@code POST /api/submit} forwards to {@code <ingestUrl>/orders} (cancel and
 *     amend to {@code <ingestUrl>/orders/{id}/cancel} and {@code <ingestUrl>/orders/{id}}), and the page is told it
 *     ({@code ingestUrl} of {@code /config.json})
 * @param submitTimeout how long a forwarded submit, cancel or amend may take
 * @param issuer the issuer the page signs in with, as a browser reaches it; blank means the resource server's own
 *     {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}
 * @param clientId the page's public OAuth2 client (authorization code + PKCE)
 * @param scope the scopes the page asks for
 * @param venueUrl base URL of the venue's admin API: {@code GET /api/venue/state} forwards to {@code
 *     <venueUrl>/admin/state} (the operator view's venue panel)
 * @param maxReplay the most FAILED orders one {@code POST /admin/orders/replay?reason=&from=&to=} sends to ingest-api
 *     (its bulk endpoint takes at most 1000 ids)
 */
@Validated
@ConfigurationProperties("orders.ui")
public record UiProperties(
        @DefaultValue("http://127.0.0.1:8080") @NotBlank String ingestUrl,
        @DefaultValue("5s") @NotNull Duration submitTimeout,
        @DefaultValue("") String issuer,
        @DefaultValue("live-page") @NotBlank String clientId,

        @DefaultValue("openid orders:read orders:write orders:admin") @NotBlank
        String scope,

        @DefaultValue("http://127.0.0.1:8086") @NotBlank String venueUrl,
        @DefaultValue("1000") @Min(1) @Max(1000) int maxReplay) {}
