package io.orderpipeline.security;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the services read from a token, under {@code orders.security}. Which issuer signs the tokens and which audience
 * they must name are Spring Boot's own resource-server settings ({@code
 * spring.security.oauth2.resourceserver.jwt.issuer-uri} and {@code .audiences}); {@link SecurityDefaults} gives them
 * the embedded run's defaults, so pointing the services at Keycloak, Auth0 or any other OIDC issuer is those two
 * properties and, if its claim is named differently, {@link #accountsClaim}.
 *
 * @param accountsClaim the claim that lists the accounts a principal acts for and sees (a JSON array of strings, or
 *     one space-separated string)
 * @param readScope the scope that reads orders ({@code GET /orders…}, STOMP subscriptions)
 * @param writeScope the scope that submits and cancels orders
 * @param adminScope the operator's scope: every account, every subscription, the management endpoints
 */
@Validated
@ConfigurationProperties("orders.security")
public record SecuritySettings(
        @NotBlank @DefaultValue("accounts") String accountsClaim,
        @NotBlank @DefaultValue("orders:read") String readScope,
        @NotBlank @DefaultValue("orders:write") String writeScope,
        @NotBlank @DefaultValue("orders:admin") String adminScope) {

    /** The Spring Security authority of {@code scope}, as Spring's JWT converter names it. */
    public static String authority(String scope) {
        return "SCOPE_" + scope;
    }
}
