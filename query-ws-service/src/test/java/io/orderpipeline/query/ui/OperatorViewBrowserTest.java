package io.orderpipeline.query.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderpipeline.auth.EmbeddedIssuer;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.Records;
import io.orderpipeline.query.support.TestIssuer;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The operator view of the live page in a real headless Chromium against real servers (issuer, broker, registry):
 * for {@code ops} it lists the FAILED order and the dead letter with its reason and count and the venue's state, and
 * its Replay and Re-drive buttons reach ingest-api (the recording {@link TokenCheckingIngest}) with the operator's
 * token; the order's detail shows its history. A trader sees no operator view, and her token gets 403 on
 * {@code /admin/**}.
 */
class OperatorViewBrowserTest {

    private static final String STATE = "orders.state.ops-ui-" + UUID.randomUUID();
    private static final String EVENTS = "orders.events.ops-ui-" + UUID.randomUUID();
    private static final String PLACE = "orders.place.dlt.ops-ui-" + UUID.randomUUID();

    private static EmbeddedIssuer issuer;
    private static Orders orders;
    private static Records records;
    private static TokenCheckingIngest ingest;
    private static FakeVenue venue;
    private static QueryInstance instance;

    @BeforeAll
    static void start() throws Exception {
        LivePage.assumeChromium();
        issuer = TestIssuer.issuer();
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), STATE);
        records = new Records();
        ingest = new TokenCheckingIngest(issuer.issuerUri(), orders);
        venue = new FakeVenue();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(EVENTS, 3, (short) 1), new NewTopic(PLACE, 1, (short) 1)))
                    .all()
                    .get();
        }
        instance = QueryInstance.start(
                STATE,
                "query-ops-ui-" + UUID.randomUUID(),
                Files.createTempDirectory("query-ops-ui"),
                Map.of(
                        "orders.ui.ingest-url",
                        ingest.url(),
                        "orders.ui.venue-url",
                        venue.url(),
                        "orders.topics.events",
                        EVENTS,
                        "orders.topics.dead-letter",
                        PLACE,
                        "orders.topics.redrives",
                        "orders.redrives.ops-ui-" + UUID.randomUUID(),
                        "orders.query.standby-replicas",
                        "0"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {instance, venue, ingest, records, orders}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void shouldShowTheOperatorViewToOpsAndSendReplayAndRedriveToIngest() throws Exception {
        // given a FAILED order (its events on orders.events) and its placement on the DLT, the venue refusing all
        OrderState placed = TokenCheckingIngest.placed("acc-3", "AAPL");
        OrderState failed = OrderState.newBuilder(placed)
                .setStatus(OrderStatus.FAILED)
                .setVersion(3)
                .setLastError("venue rejected: exchange closed")
                .setUpdatedAt(Instant.now())
                .build();
        String orderId = failed.getOrderId();
        Instant t = Instant.now().minusSeconds(5);
        event(orderId, OrderEventType.ACCEPTED, 1, null, OrderStatus.PENDING, t);
        event(orderId, OrderEventType.RETRY_SCHEDULED, 2, OrderStatus.PENDING, OrderStatus.RETRYING, t.plusMillis(1));
        event(orderId, OrderEventType.FAILED, 3, OrderStatus.RETRYING, OrderStatus.FAILED, t.plusMillis(2));
        orders.send(failed);
        long offset = records.send(
                PLACE,
                0,
                orderId.getBytes(StandardCharsets.UTF_8),
                Records.avro(PLACE, attempt(orderId)),
                List.of(
                        new RecordHeader("kafka_dlt-exception-fqcn", bytes("io.orderpipeline.VenueRejected")),
                        new RecordHeader("kafka_dlt-exception-message", bytes("venue rejected: exchange closed")),
                        new RecordHeader("kafka_dlt-original-topic", bytes("orders.place.retry.2")),
                        new RecordHeader(
                                "retry_topic-attempts",
                                ByteBuffer.allocate(4).putInt(4).array())));
        String ref = "place-0-" + offset;
        venue.set(FakeVenue.state(true, 1.0));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instance.get("/orders/" + orderId).statusCode() == 200);

        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {
            // when the operator olga signs in through the issuer (code + PKCE; her token carries orders:admin)
            page.signIn("olga", "olga");
            page.waitUntilLive();

            // then the operator view lists the FAILED order, the dead letter with its reason, the count and the venue
            page.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("operator")));
            By failedRow = By.cssSelector("#failed-body tr[data-failed-order='" + orderId + "']");
            By deadLetter = By.cssSelector("#dl-place-body tr[data-ref='" + ref + "']");
            page.waiting().until(ExpectedConditions.visibilityOfElementLocated(failedRow));
            page.waiting().until(ExpectedConditions.visibilityOfElementLocated(deadLetter));
            assertThat(page.browser().findElement(failedRow).getText()).contains("venue rejected: exchange closed");
            assertThat(page.browser().findElement(deadLetter).getText())
                    .contains("venue rejected: exchange closed")
                    .contains(orderId)
                    .contains("4");
            By count = By.cssSelector(
                    "#dl-counts li[data-topic='place'][data-reason='venue rejected: exchange closed'] .count");
            page.waiting().until(ExpectedConditions.textToBe(count, "1"));
            assertThat(page.browser().findElement(By.id("venue-state")).getText())
                    .contains("up")
                    .contains("failure rate 1");

            // when she clicks Replay on the order, then ingest-api got the replay with her token
            page.browser()
                    .findElement(failedRow)
                    .findElement(By.tagName("button"))
                    .click();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ingest.adminRequests().stream()
                            .anyMatch(r -> r.path().equals("/admin/orders/" + orderId + "/replay")
                                    && r.subject().equals("olga")));
            page.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("operator-result"), "202"));

            // when she clicks Re-drive on the dead letter, then ingest-api got the re-drive of that ref
            page.browser()
                    .findElement(deadLetter)
                    .findElement(By.tagName("button"))
                    .click();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ingest.adminRequests().stream()
                            .anyMatch(r -> r.path().equals("/admin/dead-letters/" + ref + "/redrive")
                                    && r.subject().equals("olga")));

            // and the order's detail shows its history, oldest first
            page.waitForRow(orderId, "FAILED");
            page.script("window.scrollTo(0, 0)"); // the operator view is below; the sticky header would take the click
            page.browser().findElement(LivePage.row(orderId)).click();
            page.waiting()
                    .until(d -> d.findElements(By.cssSelector("#history li")).size() == 3);
            assertThat(page.browser().findElements(By.cssSelector("#history li")).stream()
                            .map(li -> li.getAttribute("data-type"))
                            .toList())
                    .containsExactly("ACCEPTED", "RETRY_SCHEDULED", "FAILED");
            Files.write(
                    Path.of("target", "operator-view.png"),
                    ((TakesScreenshot) page.browser()).getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void shouldShowNoOperatorViewToATraderWhoseTokenGets403OnAdmin() throws Exception {
        try (LivePage page = LivePage.open(instance.baseUrl(), issuer.baseUrl())) {
            // when alice signs in
            page.signIn("alice", "alice");
            page.waitUntilLive();

            // then there is no operator view, and her token is refused on the operator endpoints
            assertThat(page.browser().findElement(By.id("operator")).isDisplayed())
                    .isFalse();
            String token = (String) page.script("return JSON.parse(sessionStorage.getItem('live-page.session')).token");
            assertThat(instance.get("/admin/dead-letters", token).statusCode()).isEqualTo(403);
            assertThat(instance.get("/admin/dead-letters/summary", token).statusCode())
                    .isEqualTo(403);
            assertThat(instance.get("/api/venue/state", token).statusCode()).isEqualTo(403);
        }
    }

    private static void event(
            String orderId, OrderEventType type, long version, OrderStatus previous, OrderStatus status, Instant at) {
        OrderEvent event = OrderEvent.newBuilder()
                .setOrderId(orderId)
                .setType(type)
                .setVersion(version)
                .setPreviousStatus(previous)
                .setStatus(status)
                .setOccurredAt(at)
                .build();
        records.send(EVENTS, 0, bytes(orderId), Records.avro(EVENTS, event), List.of());
    }

    private static PlacementAttempt attempt(String orderId) {
        return PlacementAttempt.newBuilder()
                .setOrderId(orderId)
                .setAccountId("acc-3")
                .setSymbol("AAPL")
                .setSide(Side.BUY)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(10)
                .setPrice(new BigDecimal("100.500000"))
                .setAttempt(4)
                .setDueAt(Instant.now())
                .setFirstAttemptAt(Instant.now())
                .build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
