package io.orderpipeline.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The fast bearer resolver answers every request exactly as Spring Security's default resolver does. */
class BearerTokensTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0cmFkZXItMSJ9.c2ln-_~+/a==";

    @Test
    void shouldResolveOrRefuseExactlyAsTheDefaultResolver() {
        // given headers well formed and not, and requests that may carry an access_token parameter
        List<String> headers = List.of(
                "Bearer " + TOKEN,
                "bearer " + TOKEN,
                "BEARER " + TOKEN,
                "Bearer  " + TOKEN,
                "Bearer",
                "Bearer ",
                "Bearer =",
                "Bearer abc=def",
                "Bearer abc\n",
                "Bearer ab c",
                "Bearer ab%c",
                "Bearerabc",
                "Basic dXNlcjpwYXNz",
                "Token abc");
        List<Consumer<MockHttpServletRequest>> shapes = List.of(
                request -> {},
                request -> request.setQueryString("x=1"),
                request -> {
                    request.setQueryString("access_token=abc");
                    request.addParameter("access_token", "abc");
                },
                request -> {
                    request.setMethod("POST");
                    request.setContentType("application/x-www-form-urlencoded");
                    request.addParameter("access_token", "abc");
                },
                request -> {
                    request.setMethod("POST");
                    request.setContentType("application/json");
                });

        // when / then
        for (Consumer<MockHttpServletRequest> shape : shapes) {
            for (String header : headers) {
                assertSame(header, shape);
            }
            assertSame(null, shape);
        }
    }

    private static void assertSame(String header, Consumer<MockHttpServletRequest> shape) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
        shape.accept(request);
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        assertThat(outcome(new BearerTokens(), request))
                .as("%s %s", header, request.getQueryString())
                .isEqualTo(outcome(new DefaultBearerTokenResolver(), request));
    }

    private static String outcome(BearerTokenResolver resolver, MockHttpServletRequest request) {
        try {
            return "token " + resolver.resolve(request);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
