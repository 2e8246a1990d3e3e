package io.orderpipeline.query.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.infra.Ports;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live page's cancel and amend proxies over real HTTP: forwarded with the caller's token to an ingest-api stand-in
 * ({@link TokenCheckingIngest}, which checks that token against the real issuer), refused here without
 * {@code orders:write}, 502 when ingest-api cannot be reached.
 */
class IngestProxyTest {

    private static final String TOPIC = "orders.state.proxy-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Orders orders;
    private static TokenCheckingIngest ingest;
    private static QueryInstance instance;
    private static QueryInstance withoutIngest;

    @BeforeAll
    static void start() throws Exception {
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        ingest = new TokenCheckingIngest(TestIssuer.issuerUri(), orders);
        instance = QueryInstance.start(
                TOPIC,
                "query-proxy-" + UUID.randomUUID(),
                Files.createTempDirectory("query-proxy"),
                Map.of("orders.ui.ingest-url", ingest.url()));
        withoutIngest = QueryInstance.start(
                TOPIC,
                "query-proxy-down-" + UUID.randomUUID(),
                Files.createTempDirectory("query-proxy-down"),
                Map.of("orders.ui.ingest-url", "http://127.0.0.1:" + Ports.free(), "orders.ui.submit-timeout", "2s"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {withoutIngest, instance, ingest, orders}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void shouldForwardACancelAndAnAmendWithTheCallersTokenAndReturnIngestsAnswer() throws Exception {
        // given an order id of trader-1's account
        String orderId = Orders.routedId("acc-1");

        // when trader-1 cancels and amends it through the proxies
        HttpResponse<String> cancel = send(instance, "POST", "/api/orders/" + orderId + "/cancel", null, trader1());
        HttpResponse<String> amend =
                send(instance, "PATCH", "/api/orders/" + orderId, "{\"quantity\":40,\"price\":\"187.3\"}", trader1());

        // then ingest-api's answers come back unchanged, and it saw trader-1's token, the path and the body
        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(cancel.body()).contains("CANCEL_REQUESTED").contains(orderId);
        assertThat(amend.statusCode()).isEqualTo(202);
        assertThat(amend.body()).contains("AMEND_REQUESTED");
        List<TokenCheckingIngest.Change> changes = ingest.changes().stream()
                .filter(c -> c.path().contains(orderId))
                .toList();
        assertThat(changes)
                .extracting(TokenCheckingIngest.Change::method, TokenCheckingIngest.Change::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("POST", "/orders/" + orderId + "/cancel"),
                        org.assertj.core.groups.Tuple.tuple("PATCH", "/orders/" + orderId));
        assertThat(changes).allSatisfy(c -> assertThat(c.subject()).isEqualTo("trader-1"));
        assertThat(changes.get(0).body()).isEmpty();
        assertThat(changes.get(1).body()).isEqualTo("{\"quantity\":40,\"price\":\"187.3\"}");
    }

    @Test
    void shouldRefuseWithoutTheWriteScopeAndForwardNothing() throws Exception {
        // given a token that may read but not write
        String readOnly = TestIssuer.testTokens().valid("trader-1", List.of("acc-1"), "orders:read");
        String orderId = Orders.routedId("acc-1");

        // when
        HttpResponse<String> cancel = send(instance, "POST", "/api/orders/" + orderId + "/cancel", null, readOnly);
        HttpResponse<String> amend = send(instance, "PATCH", "/api/orders/" + orderId, "{\"quantity\":1}", readOnly);
        HttpResponse<String> anonymous = send(instance, "POST", "/api/orders/" + orderId + "/cancel", null, null);

        // then
        assertThat(cancel.statusCode()).isEqualTo(403);
        assertThat(amend.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(ingest.changes()).noneMatch(c -> c.path().contains(orderId));
    }

    @Test
    void shouldAnswer502ProblemWhenIngestIsUnreachable() throws Exception {
        // given / when
        HttpResponse<String> cancel =
                send(withoutIngest, "POST", "/api/orders/" + Orders.routedId("acc-1") + "/cancel", null, trader1());

        // then
        assertThat(cancel.statusCode()).isEqualTo(502);
        assertThat(cancel.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private static String trader1() {
        return TestIssuer.trader1();
    }

    private static HttpResponse<String> send(
            QueryInstance target, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
