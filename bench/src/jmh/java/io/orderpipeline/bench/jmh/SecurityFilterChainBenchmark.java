package io.orderpipeline.bench.jmh;

import com.nimbusds.jose.JOSEException;
import io.orderpipeline.security.Callers;
import io.orderpipeline.security.ProblemResponses;
import io.orderpipeline.security.ResourceServer;
import io.orderpipeline.security.SecuritySettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * What Spring Security costs one authenticated {@code POST /orders} of ingest-api, as the service configures it: the
 * real filter chain ({@code springSecurityFilterChain} of a Spring Boot servlet context with the {@code security}
 * module's auto-configuration and {@link ResourceServer#configure}, ingest-api's write rule), a bearer token like the
 * issuer's (RS256, 2048-bit key), and behind the chain what the controller asks of it ({@link Callers#current()} and the
 * account check). No network and no servlet container on the measured path: the request and response are minimal
 * in-memory objects, and the end of the chain does nothing else, so the score is the security cost of one request.
 *
 * <p>{@code tokenCache}: {@code 4096} is the default ({@code orders.security.token-cache.max-size}; the client reuses
 * its token, as real clients do until it expires), {@code 0} validates the token in full on every request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SecurityFilterChainBenchmark {

    /** As Spring MVC's DispatcherServlet is mapped in a Spring Boot service: the default servlet, "/". */
    private static final HttpServletMapping DISPATCHER_SERVLET = new HttpServletMapping() {
        @Override
        public String getMatchValue() {
            return "";
        }

        @Override
        public String getPattern() {
            return "/";
        }

        @Override
        public String getServletName() {
            return "dispatcherServlet";
        }

        @Override
        public MappingMatch getMappingMatch() {
            return MappingMatch.DEFAULT;
        }
    };

    @Param({"4096", "0"})
    public int tokenCache;

    private ConfigurableApplicationContext context;
    private Filter chain;
    private Callers callers;
    private String authorization;

    @Setup(Level.Trial)
    public void setUp() throws JOSEException {
        BenchTokens tokens = BenchTokens.generate();
        context = new SpringApplicationBuilder(Service.class)
                .properties(
                        "server.address=127.0.0.1",
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "logging.level.root=WARN",
                        "orders.security.token-cache.max-size=" + tokenCache)
                .initializers(app -> app.getBeanFactory().registerSingleton("benchTokens", tokens))
                .run();
        chain = context.getBean("springSecurityFilterChain", Filter.class);
        callers = context.getBean(Callers.class);
        authorization = "Bearer " + tokens.token();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        context.close();
    }

    /** One POST through the chain; true if the controller would have been reached by trader-1 acting for acc-1. */
    @Benchmark
    public boolean authenticatedPost() throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        int[] status = {200};
        boolean[] reached = {false};
        HttpServletRequest request = request(attributes);
        HttpServletResponse response = response(status);
        FilterChain controller = (req, res) -> reached[0] = callers.current().mayActFor("acc-1");
        chain.doFilter(request, response, controller);
        if (status[0] != 200) {
            throw new IllegalStateException("refused: " + status[0]);
        }
        return reached[0];
    }

    private HttpServletRequest request(Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(
                HttpServletRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "getMethod":
                            return "POST";
                        case "getRequestURI":
                        case "getServletPath":
                            return "/orders";
                        case "getContextPath":
                            return "";
                        case "getRequestURL":
                            return new StringBuffer("http://127.0.0.1:8080/orders");
                        case "getScheme":
                            return "http";
                        case "getServerName":
                            return "127.0.0.1";
                        case "getServerPort":
                            return 8080;
                        case "getProtocol":
                            return "HTTP/1.1";
                        case "getDispatcherType":
                            return DispatcherType.REQUEST;
                        case "getHttpServletMapping":
                            return DISPATCHER_SERVLET;
                        case "getContentType":
                            return "application/json";
                        case "getHeader":
                            return header((String) a[0]);
                        case "getHeaders":
                            String value = header((String) a[0]);
                            return Collections.enumeration(value == null ? List.of() : List.of(value));
                        case "getHeaderNames":
                            return Collections.enumeration(List.of("Authorization", "Content-Type", "Host"));
                        case "getAttribute":
                            return attributes.get((String) a[0]);
                        case "setAttribute":
                            attributes.put((String) a[0], a[1]);
                            return null;
                        case "removeAttribute":
                            attributes.remove((String) a[0]);
                            return null;
                        case "getAttributeNames":
                            return Collections.enumeration(attributes.keySet());
                        case "getParameterMap":
                            return Map.of();
                        case "getParameterNames":
                            return Collections.emptyEnumeration();
                        case "getSession":
                            return null;
                        case "isAsyncStarted":
                        case "isSecure":
                            return false;
                        case "hashCode":
                            return System.identityHashCode(p);
                        case "equals":
                            return p == a[0];
                        case "toString":
                            return "POST /orders";
                        default:
                            return defaultValue(m.getReturnType());
                    }
                });
    }

    private String header(String name) {
        if ("Authorization".equalsIgnoreCase(name)) {
            return authorization;
        }
        if ("Content-Type".equalsIgnoreCase(name)) {
            return "application/json";
        }
        if ("Host".equalsIgnoreCase(name)) {
            return "127.0.0.1:8080";
        }
        return null;
    }

    private static HttpServletResponse response(int[] status) {
        return (HttpServletResponse) Proxy.newProxyInstance(
                HttpServletResponse.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus":
                        case "sendError":
                            status[0] = (Integer) a[0];
                            return null;
                        case "getStatus":
                            return status[0];
                        case "isCommitted":
                            return false;
                        case "hashCode":
                            return System.identityHashCode(p);
                        case "equals":
                            return p == a[0];
                        default:
                            return defaultValue(m.getReturnType());
                    }
                });
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    /** A resource server as ingest-api configures one; its decoder checks tokens of {@link BenchTokens}' key. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {

        @Bean
        JwtDecoder jwtDecoder(BenchTokens benchTokens) {
            return benchTokens.decoder();
        }

        @Bean
        SecurityFilterChain api(HttpSecurity http, SecuritySettings settings, ProblemResponses responses)
                throws Exception {
            return ResourceServer.configure(
                            http,
                            settings,
                            responses,
                            rules -> rules.requestMatchers(HttpMethod.POST, "/orders", "/orders/batch")
                                    .hasAuthority(SecuritySettings.authority(settings.writeScope())))
                    .build();
        }
    }
}
