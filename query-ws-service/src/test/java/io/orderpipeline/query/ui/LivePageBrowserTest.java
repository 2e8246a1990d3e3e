package io.orderpipeline.query.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.Side;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The live page in a real headless Chromium against real servers: the token issuer (the shared {@link TestIssuer}, an
 * {@link EmbeddedIssuer} with the demo identities), query-ws-service as an OAuth2 resource server, the broker and the registry. The page signs in
 * through the issuer (authorization code + PKCE, user {@code alice}: accounts acc-1 and acc-2), shows her orders and
 * no one else's, and submits as her; {@link TokenCheckingIngest} stands in for ingest-api and checks the token the
 * page's submit carries.
 */
class LivePageBrowserTest {

    private static final String TOPIC = "orders.state.ui-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedIssuer issuer;
    private static Orders orders;
    private static TokenCheckingIngest ingest;
    private static QueryInstance instance;

    @BeforeAll
    static void start() throws Exception {
        LivePage.assumeChromium();
        // on a free port: the issuer's loopback redirect URIs (http://127.0.0.1:8081/) match any port of 127.0.0.1
        issuer = TestIssuer.issuer();
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        ingest = new TokenCheckingIngest(issuer.issuerUri(), orders);
        instance = QueryInstance.start(
                TOPIC,
                "query-ui-" + UUID.randomUUID(),
                Files.createTempDirectory("query-ui"),
                Map.of("orders.ui.ingest-url", ingest.url()));
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (orders != null) {
            orders.close();
        }
    }

    @Test
    void shouldSignInAsAliceAndShowAndSubmitOnlyHerOrders() throws IOException {
        // given an order of each of alice's accounts and one of trader-2's, all in the store (an operator sees them)
        OrderState first = TokenCheckingIngest.placed("acc-1", "MSFT");
        OrderState second = TokenCheckingIngest.placed("acc-2", "NVDA");
        OrderState foreign = TokenCheckingIngest.placed("acc-3", "AMZN");
        orders.send(foreign);
        orders.send(first);
        orders.send(second);
        awaitStored(foreign, first, second);

        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {
            // when she signs in on the issuer's login form
            page.signIn("alice", "alice");

            // then the page is hers: her name and accounts, the form offers those, the table holds their orders only
            page.waitUntilLive();
            assertThat(page.onPage()).isTrue();
            assertThat(page.shownAccounts()).isEqualTo("acc-1, acc-2");
            assertThat(page.accountChoices()).containsExactly("acc-1", "acc-2");
            page.waitForRow(first.getOrderId(), "PLACED");
            page.waitForRow(second.getOrderId(), "PLACED");
            assertThat(page.showsRow(foreign.getOrderId()))
                    .as("trader-2's order")
                    .isFalse();

            // when trader-2's account changes live, and she then submits an order for acc-2 with the form
            OrderState foreignChange = withStatus(foreign, OrderStatus.CANCELLED, 3);
            orders.send(foreignChange);
            awaitStored(foreignChange);
            new Select(page.browser().findElement(By.id("account"))).selectByValue("acc-2");
            WebElement quantity = page.browser().findElement(By.id("quantity"));
            quantity.clear();
            quantity.sendKeys("250");
            page.browser().findElement(By.cssSelector("label[for='side-sell']")).click();
            page.browser().findElement(By.id("submit")).click();
            page.waiting()
                    .until(ExpectedConditions.attributeToBeNotEmpty(
                            page.browser().findElement(By.id("submit-result")), "data-order-id"));
            String orderId = page.browser().findElement(By.id("submit-result")).getAttribute("data-order-id");

            // then it went in as alice, for acc-2, and turns PLACED in her table, pushed over her account's topic
            assertThat(ingest.submissions()).anySatisfy(submission -> {
                assertThat(submission.orderId()).isEqualTo(orderId);
                assertThat(submission.subject()).isEqualTo("alice");
                assertThat(submission.order().get("accountId").asString()).isEqualTo("acc-2");
                assertThat(submission.order().get("side").asString()).isEqualTo("SELL");
                assertThat(submission.order().get("quantity").asLong()).isEqualTo(250);
            });
            page.waitForRow(orderId, "PLACED");
            assertThat(page.browser().findElement(LivePage.row(orderId)).getText())
                    .contains("acc-2")
                    .contains("SELL")
                    .contains("250");
            // and its timeline starts with the snapshot of /topic/orders.{id}
            page.waiting()
                    .until(d -> d.findElements(By.cssSelector("#timeline li")).stream()
                            .anyMatch(li -> li.getText().contains("PLACED")));
            assertThat(page.browser()
                            .findElements(By.cssSelector("#timeline li"))
                            .get(0)
                            .getText())
                    .containsIgnoringCase("snapshot");
            // and nothing of trader-2's account reached the page, neither listed nor pushed
            assertThat(page.showsRow(foreign.getOrderId()))
                    .as("trader-2's order")
                    .isFalse();
            Files.write(
                    Path.of("target", "live-page.png"),
                    ((TakesScreenshot) page.browser()).getScreenshotAs(OutputType.BYTES));

            // and the status filter still hides it under REJECTED and shows it under PLACED
            page.browser()
                    .findElement(By.cssSelector(".chip[data-status='REJECTED']"))
                    .click();
            page.waiting().until(ExpectedConditions.invisibilityOfElementLocated(LivePage.row(orderId)));
            page.browser()
                    .findElement(By.cssSelector(".chip[data-status='PLACED']"))
                    .click();
            page.waiting().until(ExpectedConditions.visibilityOfElementLocated(LivePage.row(orderId)));
        }
    }

    @Test
    void shouldShowFillsAveragePriceAndPositionsAndSendCancelAndAmendForAWorkingOrder() throws IOException {
        // given a filled order of alice's (two fills) and a working one that rests at the venue
        Instant at = Instant.parse("2026-06-07T08:09:10Z");
        OrderState filled = Orders.filled(
                TokenCheckingIngest.placed("acc-1", "AAPL"),
                Side.BUY,
                OrderStatus.FILLED,
                4,
                Orders.fill("EX-1", 4, "100.25", at),
                Orders.fill("EX-2", 6, "100.5", at.plusSeconds(1)));
        OrderState working = TokenCheckingIngest.placed("acc-2", "MSFT");
        orders.send(filled);
        orders.send(working);
        awaitStored(filled, working);

        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {
            page.signIn("alice", "alice");
            page.waitUntilLive();

            // then the filled order's row shows filled, leaves and its average price
            page.waitForRow(filled.getOrderId(), "FILLED");
            WebElement row = page.browser().findElement(LivePage.row(filled.getOrderId()));
            assertThat(row.findElement(By.cssSelector(".filled")).getText()).isEqualTo("10");
            assertThat(row.findElement(By.cssSelector(".leaves")).getText()).isEqualTo("0");
            assertThat(row.findElement(By.cssSelector(".avg-price")).getText()).isEqualTo("100.4");
            // and her positions, from the fills: 10 AAPL in acc-1 at 100.40
            page.waiting()
                    .until(ExpectedConditions.visibilityOfElementLocated(
                            By.cssSelector("#positions-body tr[data-account='acc-1'][data-symbol='AAPL']")));
            assertThat(page.browser()
                            .findElement(By.cssSelector("#positions-body tr[data-account='acc-1'][data-symbol='AAPL']"))
                            .getText())
                    .contains("10")
                    .contains("100.4");

            // when she opens it
            row.click();

            // then its detail lists every fill (time, quantity, price) and offers no cancel: it is done
            page.waiting()
                    .until(d -> d.findElements(By.cssSelector("#fills-body tr")).size() == 2);
            List<WebElement> fills = page.browser().findElements(By.cssSelector("#fills-body tr"));
            assertThat(fills.get(0).getText()).contains("EX-1").contains("4").contains("100.25");
            assertThat(fills.get(1).getText()).contains("EX-2").contains("6").contains("100.5");
            assertThat(page.browser().findElement(By.id("detail-actions")).isDisplayed())
                    .isFalse();

            // when she opens the working order, cancels it and amends its quantity
            page.browser().findElement(LivePage.row(working.getOrderId())).click();
            page.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("cancel-order")));
            page.browser().findElement(By.id("cancel-order")).click();
            page.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-result"), "Cancel"));
            WebElement quantity = page.browser().findElement(By.id("amend-quantity"));
            quantity.clear();
            quantity.sendKeys("4");
            page.browser().findElement(By.id("amend-order")).click();
            page.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-result"), "Amend"));

            // then both went to ingest-api as alice, through this service
            assertThat(ingest.changes()).anySatisfy(change -> {
                assertThat(change.subject()).isEqualTo("alice");
                assertThat(change.method()).isEqualTo("POST");
                assertThat(change.path()).isEqualTo("/orders/" + working.getOrderId() + "/cancel");
            });
            assertThat(ingest.changes()).anySatisfy(change -> {
                assertThat(change.method()).isEqualTo("PATCH");
                assertThat(change.path()).isEqualTo("/orders/" + working.getOrderId());
                assertThat(change.body()).isEqualTo("{\"quantity\":4}");
            });

            // and when the venue partially fills it, the fill appears live in the open detail and the row
            orders.send(Orders.filled(
                    working, Side.BUY, OrderStatus.PARTIALLY_FILLED, 3, Orders.fill("EX-3", 3, "99.75", at)));
            page.waitForRow(working.getOrderId(), "PARTIALLY_FILLED");
            page.waiting()
                    .until(d -> d.findElements(By.cssSelector("#fills-body tr[data-execution-id='EX-3']"))
                                    .size()
                            == 1);
            assertThat(page.browser()
                            .findElement(LivePage.row(working.getOrderId()))
                            .findElement(By.cssSelector(".leaves"))
                            .getText())
                    .isEqualTo("7");
            Files.write(
                    Path.of("target", "live-page-fills.png"),
                    ((TakesScreenshot) page.browser()).getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void shouldShowNothingAndOfferTheSignInBeforeSigningIn() throws IOException {
        // given an order of alice's in the store
        OrderState hers = TokenCheckingIngest.placed("acc-1", "AAPL");
        orders.send(hers);
        awaitStored(hers);

        // when the page is opened without signing in
        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {

            // then it offers the sign-in, connects to nothing and lists nothing
            page.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            assertThat(page.browser().findElement(By.id("connection")).getAttribute("data-state"))
                    .isNotEqualTo("connected");
            assertThat(page.browser().findElements(By.cssSelector("#orders-body tr")))
                    .isEmpty();
            assertThat(page.browser().findElement(By.id("submit")).isEnabled()).isFalse();
        }
    }

    @Test
    void shouldAskForThePasswordAgainAfterSigningOut() throws IOException {
        // given alice is signed in
        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {
            page.signIn("alice", "alice");
            page.waitUntilLive();

            // when she signs out
            page.browser().findElement(By.id("sign-out")).click();

            // then the page forgets her and disconnects
            page.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            assertThat(page.signedInAs()).isEmpty();
            page.waiting().until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "signed-out"));
            assertThat(page.script("return sessionStorage.getItem('live-page.session')"))
                    .isNull();
            // and her issuer session is over too: signing in again needs the password
            page.waiting()
                    .until(d -> d.manage().getCookieNamed(LivePage.ISSUER_SESSION_COOKIE) == null
                            || !issuerKnowsSession(page));
            page.signIn("alice", "alice");
            page.waitUntilLive();
        }
    }

    @Test
    void shouldAskForThePasswordWhenTheIssuerSessionEndedBeforeTheTokenIsRenewed() throws IOException {
        // given alice is signed in
        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {
            page.signIn("alice", "alice");
            page.waitUntilLive();

            // when her issuer session is gone (cookies are per host: the page's host is the issuer's) and the page
            // renews its token, as it does shortly before the token expires
            page.browser().manage().deleteCookieNamed(LivePage.ISSUER_SESSION_COOKIE);
            page.script("Auth.renew().catch(() => {})");

            // then it does not carry on silently: either the page says "signed out — sign in again" (an issuer that
            // answers prompt=none with login_required) or the renewal lands on the issuer's login form
            page.waiting()
                    .until(d -> !d.findElements(By.name("username")).isEmpty()
                            || (page.onPage() && d.findElement(By.id("sign-in")).isDisplayed()));
            if (page.onPage()) {
                assertThat(page.browser().findElement(By.id("auth-notice")).getText())
                        .containsIgnoringCase("signed out")
                        .containsIgnoringCase("sign in again");
                assertThat(page.signedInAs()).isEmpty();
                assertThat(page.browser().findElements(By.cssSelector("#orders-body tr")))
                        .isEmpty();
                page.browser().findElement(By.id("sign-in")).click();
            }
            // and with the password she is back, live
            page.fillLoginForm("alice", "alice");
            page.waiting().until(ExpectedConditions.textToBe(By.id("user-name"), "alice"));
            page.waitUntilLive();
        }
    }

    /** Whether the issuer still has a login session for the browser's issuer cookie (a silent authorize succeeds). */
    private static boolean issuerKnowsSession(LivePage page) {
        org.openqa.selenium.Cookie cookie = page.browser().manage().getCookieNamed(LivePage.ISSUER_SESSION_COOKIE);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer.baseUrl()
                        + "/oauth2/authorize?response_type=code&client_id=live-page&scope=openid"
                        + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8081%2F&prompt=none&state=probe"
                        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"))
                .header("Cookie", cookie.getName() + "=" + cookie.getValue())
                .GET()
                .build();
        HttpResponse<String> response = send(request);
        return response.headers().firstValue("Location").orElse("").contains("code=");
    }

    /** Waits until an operator reads each state (at least its version) from the store. */
    private static void awaitStored(OrderState... states) {
        String token = TestIssuer.ops();
        for (OrderState state : states) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/orders/"
                                + state.getOrderId() + "?waitForVersion=" + state.getVersion() + "&timeout=5s"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).contains("\"version\":" + state.getVersion());
            });
        }
    }

    private static OrderState withStatus(OrderState state, OrderStatus status, long version) {
        return OrderState.newBuilder(state)
                .setStatus(status)
                .setVersion(version)
                .setUpdatedAt(java.time.Instant.now())
                .build();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
