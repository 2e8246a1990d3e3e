package io.orderpipeline.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 as {@code application/problem+json}, with the {@code WWW-Authenticate} header Spring Security's bearer
 * token handlers set (RFC 6750: {@code error="invalid_token"}, {@code error="insufficient_scope"}). Spring writes the
 * header; this adds the body the rest of the API uses for every error.
 */
public final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String UNAUTHORIZED_TYPE = "urn:orderpipeline:problem:unauthorized";
    static final String FORBIDDEN_TYPE = "urn:orderpipeline:problem:forbidden";

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();
    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public void commence(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException authException)
            throws IOException {
        bearerEntryPoint.commence(request, response, authException);
        write(
                request,
                response,
                UNAUTHORIZED_TYPE,
                "Unauthorized",
                "A valid bearer token from the configured issuer is required (Authorization: Bearer <token>).");
    }

    @Override
    public void handle(
            HttpServletRequest request, HttpServletResponse response, AccessDeniedException accessDeniedException)
            throws IOException {
        bearerDenied.handle(request, response, accessDeniedException);
        write(request, response, FORBIDDEN_TYPE, "Forbidden", "The token does not grant this operation.");
    }

    /** Writes a 403 problem for a refusal decided by a controller (for example an account not in the token). */
    public static Map<String, Object> forbidden(String instance, String detail) {
        return body(FORBIDDEN_TYPE, "Forbidden", 403, detail, instance);
    }

    private void write(
            HttpServletRequest request, HttpServletResponse response, String type, String title, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(
                response.getOutputStream(), body(type, title, response.getStatus(), detail, request.getRequestURI()));
    }

    private static Map<String, Object> body(String type, String title, int status, String detail, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        return body;
    }
}
