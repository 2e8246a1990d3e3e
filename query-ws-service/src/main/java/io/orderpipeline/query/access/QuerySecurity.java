package io.orderpipeline.query.access;

import io.orderpipeline.security.ProblemResponses;
import io.orderpipeline.security.ResourceServer;
import io.orderpipeline.security.SecuritySettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call what over HTTP (on top of {@link ResourceServer}'s management rules):
 *
 * <ul>
 *   <li>{@code GET /orders/**}, {@code GET /accounts/{id}/positions} and their instance-to-instance {@code /internal/…}
 *       forms: {@code orders:read}; which orders the caller then sees is decided per order (its account), see
 *       {@code Viewer}; positions of an account the token does not grant are 403;
 *   <li>{@code POST /api/submit}, {@code POST /api/orders/{id}/cancel}, {@code PATCH /api/orders/{id}} (the live
 *       page's proxies to ingest-api): {@code orders:write} (ingest-api checks the account);
 *   <li>{@code /admin/**} (dead letters, the filtered replay) and the live page's operator proxies {@code
 *       /api/admin/**} and {@code /api/venue/**}: {@code orders:admin} only (a trader's token: 403);
 *   <li>open: the live page's static files, {@code GET /config.json} (its sign-in settings) and the WebSocket/SockJS
 *       handshake {@code /ws/**} — STOMP authenticates the token of its CONNECT frame instead (a browser cannot set
 *       headers on a WebSocket handshake);
 *   <li>anything else: a valid token.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class QuerySecurity {

    @Bean
    SecurityFilterChain api(HttpSecurity http, SecuritySettings settings, ProblemResponses responses) throws Exception {
        String read = SecuritySettings.authority(settings.readScope());
        String write = SecuritySettings.authority(settings.writeScope());
        String admin = SecuritySettings.authority(settings.adminScope());
        return ResourceServer.configure(
                        http,
                        settings,
                        responses,
                        rules -> rules.requestMatchers(
                                        HttpMethod.GET,
                                        "/",
                                        "/index.html",
                                        "/*.js",
                                        "/*.css",
                                        "/*.ico",
                                        "/*.png",
                                        "/*.svg",
                                        "/config.json")
                                .permitAll()
                                .requestMatchers("/ws", "/ws/**")
                                .permitAll()
                                .requestMatchers("/admin/**", "/api/admin/**", "/api/venue/**")
                                .hasAuthority(admin)
                                .requestMatchers(
                                        HttpMethod.GET,
                                        "/orders",
                                        "/orders/**",
                                        "/internal/orders",
                                        "/internal/orders/**",
                                        "/accounts/*/positions",
                                        "/internal/accounts/*/positions")
                                .hasAuthority(read)
                                .requestMatchers(HttpMethod.POST, "/api/submit", "/api/orders/*/cancel")
                                .hasAuthority(write)
                                .requestMatchers(HttpMethod.PATCH, "/api/orders/*")
                                .hasAuthority(write))
                .build();
    }
}
