package io.orderpipeline.query.query;

import io.orderpipeline.security.Callers;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/** Makes the {@link Viewer} of the current request, or of a validated token (a STOMP session's). */
@Component
public class Viewers {

    private final Callers callers;

    Viewers(Callers callers) {
        this.callers = callers;
    }

    /**
     * The viewer of the current request.
     *
     * @throws IllegalStateException outside a request the filter chain authenticated with a JWT
     */
    Viewer current() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
            return of(token.getToken());
        }
        throw new IllegalStateException("no authenticated caller");
    }

    public Viewer of(Jwt jwt) {
        return new Viewer(callers.of(jwt), jwt.getTokenValue());
    }
}
