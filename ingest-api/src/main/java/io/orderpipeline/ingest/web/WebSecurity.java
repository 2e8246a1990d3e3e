package io.orderpipeline.ingest.web;

import io.orderpipeline.security.ProblemResponses;
import io.orderpipeline.security.ResourceServer;
import io.orderpipeline.security.SecuritySettings;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * ingest-api is an OAuth2 resource server ({@link ResourceServer}: JWTs of the configured issuer and audience,
 * problem+json 401/403, health and API docs open, other management endpoints {@code orders:admin}). Every write
 * endpoint needs the write scope ({@code orders:write}); which accounts a caller may write for is decided per request
 * by the controllers ({@code Caller#mayActFor}: 403 for a PLACE, 404 for a CANCEL or AMEND). Every {@code /admin/**}
 * endpoint (replays, re-drives) needs the admin scope ({@code orders:admin}).
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(
        name = WebSecurity.BEARER,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "An access token of the configured issuer (embedded run: http://127.0.0.1:9000, client"
                + " credentials, e.g. trader-1 / trader-1-secret), audience orders-api, scope orders:write")
public class WebSecurity {

    /** The name of the OpenAPI security scheme the write operations require. */
    public static final String BEARER = "bearer";

    @Bean
    SecurityFilterChain ingestSecurity(HttpSecurity http, SecuritySettings settings, ProblemResponses responses)
            throws Exception {
        String write = SecuritySettings.authority(settings.writeScope());
        String admin = SecuritySettings.authority(settings.adminScope());
        return ResourceServer.configure(
                        http,
                        settings,
                        responses,
                        rules -> rules.requestMatchers("/admin/**")
                                .hasAuthority(admin)
                                .requestMatchers(
                                        HttpMethod.POST,
                                        "/orders",
                                        "/orders/batch",
                                        "/orders/*/cancel",
                                        "/orders/*/replace")
                                .hasAuthority(write)
                                .requestMatchers(HttpMethod.PATCH, "/orders/*")
                                .hasAuthority(write))
                .build();
    }
}
