package io.orderpipeline.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Spring Security's {@link DefaultBearerTokenResolver}, with its common case checked by a loop instead of its regular
 * expression: an {@code Authorization: Bearer <token>} header of a request that cannot carry an {@code access_token}
 * parameter (no query string, not a form post). Anything else (no header, another scheme, a malformed token, a query
 * string or form body) is left to the default resolver, so the answers, including its errors, are the same.
 *
 * <p><b>Why.</b> The default matches {@code ^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$} case-insensitively, which costs
 * a case-folding range check per character of a token of about 1 KB: half of the whole security filter chain of an
 * authenticated request with a cached token ({@code bench}'s {@code SecurityFilterChainBenchmark}, JFR).
 */
final class BearerTokens implements BearerTokenResolver {

    private static final String PREFIX = "Bearer ";

    private final DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();

    @Override
    public String resolve(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null
                && request.getQueryString() == null
                && !isForm(request.getContentType())
                && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && isToken(authorization, PREFIX.length())) {
            return authorization.substring(PREFIX.length());
        }
        return standard.resolve(request);
    }

    /** {@code [a-zA-Z0-9-._~+/]+=*} from {@code from} to the end (RFC 6750's b64token). */
    static boolean isToken(String text, int from) {
        int i = from;
        int length = text.length();
        while (i < length && isTokenCharacter(text.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < length && text.charAt(i) == '=') {
            i++;
        }
        return i == length;
    }

    private static boolean isTokenCharacter(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~'
                || c == '+'
                || c == '/';
    }

    private static boolean isForm(String contentType) {
        return contentType != null
                && contentType.regionMatches(
                        true,
                        0,
                        MediaType.APPLICATION_FORM_URLENCODED_VALUE,
                        0,
                        MediaType.APPLICATION_FORM_URLENCODED_VALUE.length());
    }
}
