package io.orderpipeline.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded run's issuer and audience as the lowest-precedence defaults of every service that uses this module:
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri=http://127.0.0.1:9000} (the {@code auth-server} of
 * {@code ./run-local.sh}) and {@code .audiences=orders-api}. Any property source wins over them (application.yml,
 * environment {@code SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI}, command line), so they are declared once
 * here and overridden per deployment.
 *
 * <p>The issuer is contacted lazily (Spring Boot resolves its discovery document on the first token it validates), so
 * a service starts before its issuer; until the issuer answers, requests with a token get 401.
 */
public final class SecurityDefaults implements EnvironmentPostProcessor {

    public static final String DEFAULT_ISSUER = "http://127.0.0.1:9000";
    public static final String DEFAULT_AUDIENCE = "orders-api";

    static final String SOURCE = "orderPipelineSecurityDefaults";
    static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
    static final String AUDIENCES = "spring.security.oauth2.resourceserver.jwt.audiences";
    static final String SECURITY_OBSERVATIONS = "management.observations.enable.spring.security";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put(ISSUER_URI, DEFAULT_ISSUER);
        defaults.put(AUDIENCES, DEFAULT_AUDIENCE);
        // Spring Security wraps each of its filters in a Micrometer observation when Actuator is present. Measured with
        // ./bench.sh --phases=ingest on the 2-core box (one run each, load 5-7, noisy): POST closed loop 667 req/s
        // with them, 897 without. The HTTP server observation of each request stays.
        defaults.put(SECURITY_OBSERVATIONS, "false");
        // Runs after the config files are loaded; what any source already says (including SpringApplication's own
        // default properties, which sit below this one) is kept.
        defaults.keySet().removeIf(environment::containsProperty);
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
