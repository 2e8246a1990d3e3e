package io.orderpipeline.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The live page's sign-in, as a browser does it, over real HTTP: authorization request with a PKCE challenge →
 * login form (with its CSRF token) → code on the redirect URI (no consent screen) → code exchange with the verifier.
 */
class AuthorizationCodeFlowTest {

    private static final String REDIRECT = "http://127.0.0.1:8081/";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private static EmbeddedIssuer issuer;

    @BeforeAll
    static void startIssuer() {
        issuer = EmbeddedIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void shouldSignAliceInWithPkceAndIssueATokenWithHerAccounts() throws Exception {
        // given
        String verifier = verifier();

        // when
        String code = signIn("alice", "alice", challenge(verifier));
        HttpResponse<String> exchange = exchange(code, verifier);

        // then
        assertThat(exchange.statusCode()).as(exchange.body()).isEqualTo(200);
        Map<String, Object> tokens = JSONObjectUtils.parse(exchange.body());
        JWTClaimsSet access = SignedJWT.parse(JSONObjectUtils.getString(tokens, "access_token"))
                .getJWTClaimsSet();
        assertThat(access.getSubject()).isEqualTo("alice");
        assertThat(access.getStringListClaim("accounts")).containsExactly("acc-1", "acc-2");
        assertThat(access.getStringListClaim("scope"))
                .containsExactlyInAnyOrder("openid", "orders:read", "orders:write");
        assertThat(access.getAudience()).containsExactly("orders-api");
        assertThat(access.getIssuer()).isEqualTo(issuer.issuerUri());
        assertThat(access.getStringClaim("client_id")).isEqualTo("live-page");
        JWTClaimsSet id =
                SignedJWT.parse(JSONObjectUtils.getString(tokens, "id_token")).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly("live-page");
        assertThat(id.getStringListClaim("accounts")).containsExactly("acc-1", "acc-2");
        assertThat(tokens).doesNotContainKey("refresh_token");
    }

    @Test
    void shouldGrantOrdersAdminThroughTheLivePageOnlyToAUserWhoHasIt() throws Exception {
        // given the live page asking for every scope it may have, orders:admin included
        String scope = "openid orders:read orders:write orders:admin";

        // when alice and the operator olga sign in
        JWTClaimsSet alice = accessToken(signInWithScope("alice", "alice", scope));
        JWTClaimsSet olga = accessToken(signInWithScope("olga", "olga", scope));

        // then alice's token lacks orders:admin, olga's has it (and no account: the scope grants all)
        assertThat(alice.getStringListClaim("scope"))
                .containsExactlyInAnyOrder("openid", "orders:read", "orders:write");
        assertThat(alice.getStringListClaim("accounts")).containsExactly("acc-1", "acc-2");
        assertThat(olga.getStringListClaim("scope"))
                .containsExactlyInAnyOrder("openid", "orders:read", "orders:write", "orders:admin");
        assertThat(olga.getStringListClaim("accounts")).isEmpty();
    }

    private static JWTClaimsSet accessToken(String[] codeAndVerifier) throws Exception {
        HttpResponse<String> exchange = exchange(codeAndVerifier[0], codeAndVerifier[1]);
        assertThat(exchange.statusCode()).as(exchange.body()).isEqualTo(200);
        return SignedJWT.parse(JSONObjectUtils.getString(JSONObjectUtils.parse(exchange.body()), "access_token"))
                .getJWTClaimsSet();
    }

    private static String[] signInWithScope(String username, String password, String scope) throws Exception {
        String verifier = verifier();
        return new String[] {signIn(username, password, challenge(verifier), scope), verifier};
    }

    @Test
    void shouldRefuseTheCodeWithoutTheRightVerifier() throws Exception {
        // given
        String code = signIn("alice", "alice", challenge(verifier()));

        // when
        HttpResponse<String> exchange = exchange(code, verifier());

        // then
        assertThat(exchange.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(exchange.body())).containsEntry("error", "invalid_grant");
    }

    @Test
    void shouldKeepAWrongPasswordOnTheLoginForm() throws Exception {
        // given
        Browser browser = new Browser();
        browser.get(authorizeUrl(challenge(verifier())));

        // when
        HttpResponse<String> login = browser.postForm("/login", Map.of("username", "alice", "password", "bob"));

        // then no code, back to the form
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(location(login)).contains("/login?error").doesNotContain("code=");
    }

    /** Follows the browser's path from the authorization request to the redirect with the code. */
    private static String signIn(String username, String password, String challenge) throws Exception {
        return signIn(username, password, challenge, "openid orders:read orders:write");
    }

    private static String signIn(String username, String password, String challenge, String scope) throws Exception {
        Browser browser = new Browser();

        HttpResponse<String> authorize = browser.get(authorizeUrl(challenge, scope));
        assertThat(authorize.statusCode()).isEqualTo(302);
        assertThat(location(authorize)).endsWith("/login");

        HttpResponse<String> login = browser.postForm("/login", Map.of("username", username, "password", password));
        assertThat(login.statusCode()).isEqualTo(302);

        HttpResponse<String> resumed = browser.get(location(login));
        assertThat(resumed.statusCode()).as("no consent screen").isEqualTo(302);
        String redirect = location(resumed);
        assertThat(redirect).startsWith(REDIRECT);
        Map<String, String> query = UriComponentsBuilder.fromUriString(redirect)
                .build()
                .getQueryParams()
                .toSingleValueMap();
        assertThat(query).containsEntry("state", "state-1");
        return query.get("code");
    }

    private static String authorizeUrl(String challenge) {
        return authorizeUrl(challenge, "openid orders:read orders:write");
    }

    private static String authorizeUrl(String challenge, String scope) {
        return issuer.baseUrl() + "/oauth2/authorize?response_type=code&client_id=live-page"
                + "&scope=" + encode(scope)
                + "&redirect_uri=" + encode(REDIRECT)
                + "&state=state-1&code_challenge=" + challenge + "&code_challenge_method=S256";
    }

    private static HttpResponse<String> exchange(String code, String verifier) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(issuer.baseUrl() + "/oauth2/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                                        "grant_type", "authorization_code",
                                        "code", code,
                                        "redirect_uri", REDIRECT,
                                        "client_id", "live-page",
                                        "code_verifier", verifier))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String verifier() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String challenge(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Cookies, no automatic redirects, HTML accepted; the login form's CSRF token fetched before each POST. */
    private static final class Browser {

        private final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(
                    HttpRequest.newBuilder(URI.create(issuer.baseUrl()).resolve(url))
                            .header("Accept", "text/html")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).isEqualTo(200);
            Matcher csrf = CSRF.matcher(page.body());
            assertThat(csrf.find()).as("CSRF token in " + page.body()).isTrue();
            Map<String, String> withCsrf = new java.util.LinkedHashMap<>(fields);
            withCsrf.put("_csrf", csrf.group(1));
            return http.send(
                    HttpRequest.newBuilder(URI.create(issuer.baseUrl() + path))
                            .header("Accept", "text/html")
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form(withCsrf)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
