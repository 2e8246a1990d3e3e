package io.orderpipeline.auth;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real issuer, started inside the calling JVM — for other modules' tests, which need real tokens from a real
 * issuer rather than a disabled security chain. It runs {@link AuthServerApplication} in its own Spring context (its
 * own {@code auth-server.yml}, so the demo identities of the embedded run), on 127.0.0.1.
 *
 * <pre>{@code
 * try (EmbeddedIssuer issuer = EmbeddedIssuer.start()) {          // a free port
 *     String token = issuer.token("trader-1", "trader-1-secret");  // client credentials, all its scopes
 *     // a resource server under test: spring.security.oauth2.resourceserver.jwt.issuer-uri=issuer.issuerUri()
 *     TestTokens hostile = issuer.testTokens();                   // expired, wrong audience, alg none, ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #start()} / {@link #start(int, String...)}: starts it and returns once it serves. With port 0 (a free
 *       port) the issuer identifier is taken from each request's URL — reach it as {@code 127.0.0.1}, as {@link
 *       #issuerUri()} does, and every token and the discovery document agree on {@code http://127.0.0.1:<port>}.
 *       With a fixed port it is {@code http://127.0.0.1:<port>}. Extra {@code key=value} properties override
 *       anything, e.g. {@code "orders.auth.access-token-ttl=5s"} or {@code "orders.auth.issuer=http://other"}.
 *   <li>{@link #issuerUri()}: the issuer identifier ({@code iss}); discovery at {@code
 *       <issuerUri>/.well-known/openid-configuration}. {@link #jwkSetUri()}: the JWKS. {@link #baseUrl()}: where it
 *       listens (the same unless an explicit issuer was given).
 *   <li>{@link #token(String, String)} / {@link #token(String, String, String)}: an access token by the
 *       client-credentials grant, over HTTP; a refused request throws {@link IllegalStateException} with the status.
 *   <li>{@link #testTokens()}: a {@link TestTokens} that signs with this issuer's own key, for valid and hostile
 *       tokens alike.
 *   <li>{@link #close()}: stops it.
 * </ul>
 *
 * <p>Putting this module on a test classpath also puts Spring Security there, with its auto-configuration for the
 * caller's own Spring Boot contexts (Boot's authorization-server auto-configuration is deliberately not on it).
 */
public final class EmbeddedIssuer implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ConfigurableApplicationContext context;
    private final String baseUrl;
    private final String issuerUri;

    private EmbeddedIssuer(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.baseUrl = "http://127.0.0.1:" + port;
        String configured = settings().issuer();
        this.issuerUri = configured.isBlank() ? baseUrl : configured;
    }

    /** On a free port. */
    public static EmbeddedIssuer start() {
        return start(0);
    }

    /**
     * @param port the HTTP port on 127.0.0.1; 0 for a free one
     * @param properties {@code key=value} settings that win over {@code auth-server.yml} and the defaults here
     */
    public static EmbeddedIssuer start(int port, String... properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.address", "127.0.0.1");
        settings.put("server.port", Integer.toString(port));
        settings.put("orders.auth.issuer", port == 0 ? "" : "http://127.0.0.1:" + port);
        settings.put("spring.main.banner-mode", "off");
        for (String property : properties) {
            int equals = property.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("not key=value: " + property);
            }
            settings.put(property.substring(0, equals), property.substring(equals + 1));
        }
        List<String> args = new ArrayList<>();
        settings.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new EmbeddedIssuer(new SpringApplicationBuilder(AuthServerApplication.class)
                .properties("spring.config.name=" + AuthServerApplication.CONFIG_NAME)
                .run(args.toArray(String[]::new)));
    }

    public String issuerUri() {
        return issuerUri;
    }

    public String jwkSetUri() {
        return baseUrl + "/oauth2/jwks";
    }

    /** {@code http://127.0.0.1:<port>}, where the issuer listens. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The audience ({@code aud}) of the access tokens it issues. */
    public String audience() {
        return settings().audience();
    }

    /** An access token for every scope the client is registered with. */
    public String token(String clientId, String secret) {
        String scope = settings()
                .client(clientId)
                .map(client -> String.join(" ", client.scopes()))
                .orElse("");
        return token(clientId, secret, scope);
    }

    /**
     * An access token by the client-credentials grant (HTTP Basic client authentication).
     *
     * @param scope space-separated scopes to ask for; empty asks for none
     * @throws IllegalStateException if the issuer refuses (wrong secret: 401; unknown scope: 400)
     */
    public String token(String clientId, String secret, String scope) {
        String form = "grant_type=client_credentials"
                + (scope.isBlank() ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        String basic = Base64.getEncoder()
                .encodeToString((urlEncoded(clientId) + ":" + urlEncoded(secret)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "token request for " + clientId + " refused: " + response.statusCode() + " " + response.body());
            }
            return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("token request for " + clientId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Valid and hostile tokens signed with this issuer's key and naming its issuer and audience. */
    public TestTokens testTokens() {
        return new TestTokens(
                context.getBean(RSAKey.class), issuerUri, settings().audience());
    }

    @Override
    public void close() {
        context.close();
    }

    private AuthSettings settings() {
        return context.getBean(AuthSettings.class);
    }

    /** RFC 6749 2.3.1: client id and secret are form-encoded before they go into the Basic credentials. */
    private static String urlEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
