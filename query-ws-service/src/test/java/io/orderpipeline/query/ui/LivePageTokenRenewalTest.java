package io.orderpipeline.query.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page outlives its access tokens: with 15-second tokens, the page gets a new one from the issuer without a
 * login form while the issuer session lasts, the server closes the STOMP session of the expired token, and the page
 * comes back with the new one — its orders keep arriving live.
 */
class LivePageTokenRenewalTest {

    private static final Duration TOKEN_TTL = Duration.ofSeconds(15);
    private static final String TOPIC = "orders.state.ui-renew-" + UUID.randomUUID();

    private static EmbeddedIssuer issuer;
    private static Orders orders;
    private static QueryInstance instance;

    @BeforeAll
    static void start() throws Exception {
        LivePage.assumeChromium();
        issuer = EmbeddedIssuer.start(0, "orders.auth.access-token-ttl=" + TOKEN_TTL.toSeconds() + "s");
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        instance = QueryInstance.start(
                TOPIC,
                "query-ui-renew-" + UUID.randomUUID(),
                Files.createTempDirectory("query-ui-renew"),
                Map.of("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer.issuerUri()));
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        if (orders != null) {
            orders.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void shouldKeepPushingAfterItsFirstTokenExpired() throws IOException {
        // given alice signed in, live, with her first token
        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {
            page.signIn("alice", "alice");
            page.waitUntilLive();
            long firstExpiry = page.tokenExpiresAt();
            assertThat(firstExpiry).isPositive();

            // when that token has expired (the server closes its STOMP session then)
            WebDriverWait pastExpiry = new WebDriverWait(page.browser(), TOKEN_TTL.multipliedBy(4));
            pastExpiry.until(d -> System.currentTimeMillis() > firstExpiry + 1000
                    && page.tokenExpiresAt() > firstExpiry
                    && "connected"
                            .equals(d.findElement(org.openqa.selenium.By.id("connection"))
                                    .getAttribute("data-state")));

            // then she is still signed in, on the page, with a newer token and no login form on the way
            assertThat(page.onPage()).isTrue();
            assertThat(page.signedInAs()).isEqualTo("alice");
            // and a change of her account made now arrives live, over the session of the new token
            OrderState later = TokenCheckingIngest.placed("acc-1", "GOOGL");
            orders.send(later);
            page.waitForRow(later.getOrderId(), "PLACED");
        }
    }
}
