package io.orderpipeline.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the issuer under {@code orders.auth}. The demo identities (the lists {@code clients} and {@code users})
 * are declared in {@code auth-server.yml}; a list given anywhere else (environment, command line) replaces the whole
 * list, as Spring Boot binds lists, so an override names every identity it keeps.
 *
 * @param issuer the issuer identifier ({@code iss} of every token, {@code issuer} of the discovery document, base of
 *     every endpoint URL it lists). Empty = taken from each request's URL, which only suits tests on a random port
 *     (a client reaching the issuer as {@code localhost} then gets tokens with a different {@code iss} than one
 *     reaching it as {@code 127.0.0.1})
 * @param audience the {@code aud} of every access token, so that a resource server can refuse tokens meant for another
 *     API
 * @param accessTokenTtl lifetime of an access token ({@code exp - iat})
 * @param signingKey where the RS256 signing key comes from
 * @param allowedOriginPatterns CORS origin patterns allowed to call the token, JWKS, discovery and userinfo endpoints
 *     from a browser (the live page exchanges its code from JavaScript); no credentials (cookies) are allowed
 * @param clients the registered OAuth2 clients
 * @param users the users who sign in on the login page (for public clients such as the live page)
 */
@Validated
@ConfigurationProperties("orders.auth")
public record AuthSettings(
        @NotNull @DefaultValue("http://127.0.0.1:9000") String issuer,
        @NotBlank @DefaultValue("orders-api") String audience,
        @NotNull @DefaultValue("10m") Duration accessTokenTtl,
        @Valid @NotNull @DefaultValue SigningKey signingKey,

        @NotNull @DefaultValue({"http://127.0.0.1:[*]", "http://localhost:[*]"})
        List<String> allowedOriginPatterns,

        @NotNull @DefaultValue List<@Valid Client> clients,
        @NotNull @DefaultValue List<@Valid User> users) {

    /** The registered client with this id, if any. */
    Optional<Client> client(String clientId) {
        return clients.stream().filter(client -> client.id().equals(clientId)).findFirst();
    }

    /** The user with this name, if any. */
    Optional<User> user(String username) {
        return users.stream().filter(user -> user.username().equals(username)).findFirst();
    }

    /**
     * The RS256 signing key.
     *
     * @param location a PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}) holding the RSA private key; its public
     *     half and key id (the RFC 7638 thumbprint) follow from it, so tokens signed before a restart still verify
     *     after it. Empty (the default) = a fresh 2048-bit key per start: every token issued before is then invalid
     * @param createIfMissing whether a missing {@code location} is created with a fresh key (readable by the owner
     *     only) instead of failing the start; turn it off where the key is provisioned, so that a wrong path is an
     *     error rather than a silent new key
     */
    public record SigningKey(
            @NotNull @DefaultValue("") String location,
            @DefaultValue("true") boolean createIfMissing) {}

    /**
     * A registered client. With a {@code secret} it is a confidential client using the client-credentials grant
     * (HTTP Basic or form-post client authentication); without one it is a public client using the authorization-code
     * grant with PKCE (S256), whose tokens carry the accounts of the signed-in user, never of the client.
     *
     * @param id the {@code client_id}
     * @param secret the client secret; plain text, or already encoded with a Spring Security prefix ({@code
     *     {bcrypt}…}, {@code {noop}…}). Empty = a public client
     * @param scopes the scopes it may request
     * @param accounts the accounts a confidential client acts for (the {@code accounts} claim of its tokens). Empty
     *     for {@code orders:admin} clients: that scope, not a wildcard account, is what grants every account
     * @param redirectUris where a public client may receive its code (exact match; for loopback IPs any port)
     */
    public record Client(
            @NotBlank String id,
            @NotNull @DefaultValue("") String secret,
            @NotNull @DefaultValue List<String> scopes,
            @NotNull @DefaultValue List<String> accounts,
            @NotNull @DefaultValue List<String> redirectUris) {

        boolean isPublic() {
            return secret.isEmpty();
        }
    }

    /**
     * A user of the login page.
     *
     * @param username the login name, and the {@code sub} of its tokens
     * @param password plain text or encoded with a Spring Security prefix, as a client secret
     * @param accounts the accounts the user acts for (the {@code accounts} claim of its tokens)
     * @param scopes the scopes the user may hold: a token obtained by the user carries the scopes its client asked for
     *     and may have, narrowed to these (so a client that may ask for {@code orders:admin}, like the live page, gets
     *     it only for a user who has it)
     */
    public record User(
            @NotBlank String username,
            @NotBlank String password,
            @NotNull @DefaultValue List<String> accounts,

            @NotNull @DefaultValue({"openid", "orders:read", "orders:write"})
            List<String> scopes) {}
}
