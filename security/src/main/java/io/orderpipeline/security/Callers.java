package io.orderpipeline.security;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Turns the authentication of a request (or a STOMP session) into a {@link Caller}. A bean of every service. */
public final class Callers {

    private final SecuritySettings settings;

    public Callers(SecuritySettings settings) {
        this.settings = settings;
    }

    /** The caller of {@code authentication}, when it carries a JWT. */
    public Optional<Caller> of(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken token) {
            return Optional.of(Caller.of(token.getToken(), settings));
        }
        return Optional.empty();
    }

    /** The caller of {@code jwt}. */
    public Caller of(Jwt jwt) {
        return Caller.of(jwt, settings);
    }

    /**
     * The caller of the current request.
     *
     * @throws IllegalStateException outside an authenticated request (the filter chain lets none through)
     */
    public Caller current() {
        return of(SecurityContextHolder.getContext().getAuthentication())
                .orElseThrow(() -> new IllegalStateException("no authenticated caller"));
    }

    public SecuritySettings settings() {
        return settings;
    }
}
