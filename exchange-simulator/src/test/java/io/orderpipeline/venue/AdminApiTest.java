package io.orderpipeline.venue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.field.Side;

/** The admin HTTP API over real HTTP. */
class AdminApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedVenue venue;

    @TempDir
    static Path stores;

    @BeforeAll
    static void startVenue() {
        venue = EmbeddedVenue.start();
    }

    @AfterAll
    static void stopVenue() {
        venue.close();
    }

    @Test
    void shouldUpdateFaultsPartiallyAndShowThemInTheState() throws Exception {
        // when
        HttpResponse<String> put = call("PUT", "/admin/faults", "{\"failureRate\":0.25,\"latencyMs\":3}");

        // then
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(venue.faults().failureRate()).isEqualTo(0.25);
        assertThat(venue.faults().latencyMs()).isEqualTo(3);
        assertThat(venue.faults().rejectRate()).isZero();
        assertThat(call("GET", "/admin/faults", null).body()).contains("\"failureRate\":0.25");

        call("PUT", "/admin/faults", "{\"failureRate\":0,\"latencyMs\":0}");
        assertThat(venue.faults().failureRate()).isZero();
    }

    @Test
    void shouldListSessionsOrdersAndFillARestingOrderAtAnAdminPrice() throws Exception {
        // given a resting limit order from a logged-on session
        try (TestInitiator trader = TestInitiator.loggedOn("TRADER-H", venue, stores.resolve("h"))) {
            String orderId = UUID.randomUUID().toString();
            trader.newOrder(orderId, "MSFT", Side.BUY, 3, new BigDecimal("300.00"));
            trader.awaitReports(orderId, all -> all.size() == 1);

            // then the state shows the session and the order
            String state = call("GET", "/admin/state", null).body();
            assertThat(state)
                    .contains("FIX.4.4:VENUE->TRADER-H")
                    .contains("\"loggedOn\":true")
                    .contains("\"NEW\":");
            assertThat(call("GET", "/admin/orders?clOrdId=" + orderId, null).body())
                    .contains("\"clOrdId\":\"" + orderId + "\"")
                    .contains("\"leavesQty\":3")
                    .contains("\"live\":true");

            // when the price comes down to the limit
            HttpResponse<String> price = call("PUT", "/admin/market/MSFT", "{\"price\":299.50}");

            // then it fills
            assertThat(price.statusCode()).isEqualTo(200);
            trader.awaitReports(
                    orderId,
                    all -> all.stream()
                            .anyMatch(m -> "2".equals(TestInitiator.field(m, quickfix.field.OrdStatus.FIELD))));
            assertThat(venue.order(orderId).orElseThrow().cumQty()).isEqualTo(3);
        }
    }

    @Test
    void shouldRefuseAPriceForAnUnknownSymbol() throws Exception {
        assertThat(call("PUT", "/admin/market/NOPE", "{\"price\":1}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void shouldDropSessionsOnRequest() throws Exception {
        try (TestInitiator trader = TestInitiator.loggedOn("TRADER-D", venue, stores.resolve("d"))) {
            int before = trader.logons;

            assertThat(call("POST", "/admin/sessions/drop", "").statusCode()).isEqualTo(200);

            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> trader.logons > before && trader.isLoggedOn());
        }
    }

    @Test
    void shouldServeHealth() throws Exception {
        assertThat(call("GET", "/actuator/health", null).body()).contains("UP");
    }

    private static HttpResponse<String> call(String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(venue.adminUrl() + path)).header("Content-Type", "application/json");
        request.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
