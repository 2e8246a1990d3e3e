package io.orderpipeline.auth;

import static org.springframework.security.config.Customizer.withDefaults;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Spring Authorization Server wired from {@link AuthSettings}: the registered clients and users, the signing key, the
 * token customizer, and two filter chains — the protocol endpoints (authorize, token, JWKS, discovery, userinfo,
 * revocation, introspection, logout), and the login form with everything else (only health is open).
 *
 * <p>No client is asked for consent: every client is first-party, and the scopes it may get are its registration.
 */
@Configuration(proxyBeanMethods = false)
class AuthServerConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain protocolEndpoints(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    server.oidc(withDefaults());
                })
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .cors(withDefaults())
                // a browser that is not signed in goes to the login form; anything else gets 401
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                // the userinfo endpoint takes the issuer's own access tokens
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(withDefaults()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginForm(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(withDefaults());
        return http.build();
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(AuthSettings settings) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(settings.allowedOriginPatterns());
        cors.setAllowedMethods(List.of("GET", "POST"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type"));
        cors.setAllowCredentials(false);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AuthSettings settings) {
        AuthorizationServerSettings.Builder builder = AuthorizationServerSettings.builder();
        if (!settings.issuer().isBlank()) {
            builder.issuer(settings.issuer());
        }
        return builder.build();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(AuthSettings settings) {
        TokenSettings tokens = TokenSettings.builder()
                .accessTokenTimeToLive(settings.accessTokenTtl())
                .build();
        List<RegisteredClient> clients = settings.clients().stream()
                .map(client -> registration(client, tokens))
                .toList();
        return new InMemoryRegisteredClientRepository(clients);
    }

    private static RegisteredClient registration(AuthSettings.Client client, TokenSettings tokens) {
        RegisteredClient.Builder builder = RegisteredClient.withId(
                        UUID.nameUUIDFromBytes(client.id().getBytes(StandardCharsets.UTF_8))
                                .toString())
                .clientId(client.id())
                .scopes(scopes -> scopes.addAll(client.scopes()))
                .tokenSettings(tokens);
        if (client.isPublic()) {
            if (client.redirectUris().isEmpty()) {
                throw new IllegalArgumentException(
                        "public client " + client.id() + " (no secret) needs orders.auth.clients[].redirect-uris");
            }
            return builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUris(uris -> uris.addAll(client.redirectUris()))
                    .clientSettings(ClientSettings.builder()
                            .requireProofKey(true)
                            .requireAuthorizationConsent(false)
                            .build())
                    .build();
        }
        return builder.clientSecret(encoded(client.secret()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientSettings(ClientSettings.builder()
                        .requireAuthorizationConsent(false)
                        .build())
                .build();
    }

    @Bean
    UserDetailsService users(AuthSettings settings) {
        return new InMemoryUserDetailsManager(settings.users().stream()
                .map(user -> User.withUsername(user.username())
                        .password(encoded(user.password()))
                        .roles("USER")
                        .build())
                .toList());
    }

    /**
     * A plain-text secret is stored as {@code {noop}…}, one with a Spring Security encoder prefix as it is: the
     * default {@code DelegatingPasswordEncoder} of Spring Security compares both.
     */
    static String encoded(String secret) {
        return secret.startsWith("{") ? secret : "{noop}" + secret;
    }

    @Bean
    RSAKey signingKey(AuthSettings settings) {
        return SigningKeys.load(settings.signingKey());
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(RSAKey signingKey) {
        return new ImmutableJWKSet<>(new JWKSet(signingKey));
    }

    /** For the userinfo endpoint, which takes the issuer's own access tokens. */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
        return org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration
                .jwtDecoder(jwkSource);
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> accountsClaim(AuthSettings settings) {
        return new AccountsClaim(settings);
    }
}
