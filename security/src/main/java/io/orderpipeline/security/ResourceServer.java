package io.orderpipeline.security;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;

/**
 * The part of every service's {@code SecurityFilterChain} that is the same everywhere: a stateless OAuth2 resource
 * server over JWTs (Spring Boot's decoder: signature by the issuer's JWKS, {@code iss}, {@code exp}/{@code nbf},
 * {@code aud}; RS256 only, so {@code alg: none} and HS256 tokens are refused; validated tokens cached, see {@link
 * CachingJwtDecoder}; the bearer header read by {@link BearerTokens}), problem+json 401/403, no CSRF (no cookies, nothing a browser sends by itself), no session, request
 * cache, logout or anonymous authentication (filters a stateless API does not need), and the management rules:
 *
 * <ul>
 *   <li>{@code /actuator/health/**} and {@code /actuator/info}: open (load balancers, supervisors, the launcher);
 *   <li>every other Actuator endpoint (metrics, Prometheus): {@code orders:admin} — they show volumes per account;
 *   <li>the OpenAPI document and Swagger UI: open — the API's shape is public, calling it is not.
 * </ul>
 *
 * <p>The service adds its own rules before {@code anyRequest().authenticated()}:
 *
 * <pre>{@code
 * return ResourceServer.configure(http, responses, rules -> rules
 *         .requestMatchers(HttpMethod.POST, "/orders/**").hasAuthority(SecuritySettings.authority(writeScope)))
 *     .build();
 * }</pre>
 */
public final class ResourceServer {

    private ResourceServer() {}

    /** Configures {@code http}; {@code serviceRules} come after the management rules and before "authenticated". */
    public static HttpSecurity configure(
            HttpSecurity http,
            SecuritySettings settings,
            ProblemResponses responses,
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry>
                    serviceRules) {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                // a stateless API has no session to log out of, and no use for an anonymous Authentication (a request
                // without a token is refused by "authenticated" as well): two filters less on every request. The
                // Servlet API wrapper stays: the bearer 403 handler reads the token through getUserPrincipal() to say
                // insufficient_scope
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .oauth2ResourceServer(oauth -> oauth.bearerTokenResolver(new BearerTokens())
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(responses)
                        .accessDeniedHandler(responses))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(responses).accessDeniedHandler(responses))
                .authorizeHttpRequests(rules -> {
                    rules.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                            .permitAll()
                            .requestMatchers("/actuator/**")
                            .hasAuthority(SecuritySettings.authority(settings.adminScope()))
                            .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                            .permitAll()
                            .requestMatchers("/error")
                            .permitAll();
                    serviceRules.customize(rules);
                    rules.anyRequest().authenticated();
                });
        return http;
    }
}
