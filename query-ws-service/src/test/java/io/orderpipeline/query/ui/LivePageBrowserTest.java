package io.orderpipeline.query.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.orderpipeline.infra.Ports;
import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.QueryInstance;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live page in a real headless Chromium (Debian packages {@code chromium} and {@code chromium-driver}): submit an
 * order with the form and watch it turn PLACED in the table, pushed over STOMP. There is no ingest-api or
 * stream-processor in this module, so a tiny fake ingest endpoint writes the order's PENDING and PLACED states to the
 * state topic on the real broker, as the pipeline would.
 */
class LivePageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TOPIC = "orders.state.ui-" + UUID.randomUUID();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static HttpServer fakeIngest;
    private static ExecutorService pipeline;
    private static Orders orders;
    private static QueryInstance instance;
    private static final List<JsonNode> submitted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("headless browser test needs Chromium at %s: apt-get install -y chromium chromium-driver", CHROMIUM)
                .isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER))
                .as("headless browser test needs ChromeDriver at %s: apt-get install -y chromium-driver", CHROMEDRIVER)
                .isTrue();
        orders = new Orders(TestStack.bootstrapServers(), TestStack.registryUrl(), TOPIC);
        pipeline = Executors.newSingleThreadExecutor();
        fakeIngest = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.free()), 0);
        fakeIngest.createContext("/orders", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            submitted.add(request);
            String orderId = UUID.randomUUID().toString();
            Instant created = Instant.now();
            orders.send(state(orderId, request, OrderStatus.PENDING, 1, created));
            byte[] reply =
                    ("{\"orderId\":\"" + orderId + "\",\"status\":\"PENDING\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Location", "/orders/" + orderId);
            exchange.sendResponseHeaders(202, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
            // the "exchange" accepts it a moment later
            pipeline.execute(() -> orders.send(state(orderId, request, OrderStatus.PLACED, 2, created)));
        });
        fakeIngest.start();
        instance = QueryInstance.start(
                TOPIC,
                "query-ui-" + UUID.randomUUID(),
                Files.createTempDirectory("query-ui"),
                Map.of(
                        "orders.ui.ingest-url",
                        "http://127.0.0.1:" + fakeIngest.getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
        if (fakeIngest != null) {
            fakeIngest.stop(0);
        }
        if (pipeline != null) {
            pipeline.shutdownNow();
        }
        if (orders != null) {
            orders.close();
        }
    }

    @Test
    void shouldShowASubmittedOrderTurnPlacedLive() throws IOException {
        WebDriver browser = chromium();
        try {
            // given the page is open and live
            browser.get(instance.baseUrl() + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));

            // when an order is submitted with the form
            WebElement quantity = browser.findElement(By.id("quantity"));
            quantity.clear();
            quantity.sendKeys("250");
            browser.findElement(By.cssSelector("label[for='side-sell']")).click();
            browser.findElement(By.id("submit")).click();
            wait.until(ExpectedConditions.attributeToBeNotEmpty(
                    browser.findElement(By.id("submit-result")), "data-order-id"));
            String orderId = browser.findElement(By.id("submit-result")).getAttribute("data-order-id");

            // then its row turns PLACED, pushed over STOMP, and the detail shows the snapshot and the change
            By row = By.cssSelector("tr[data-order-id='" + orderId + "']");
            wait.until(ExpectedConditions.attributeToBe(row, "data-status", "PLACED"));
            assertThat(browser.findElement(row)
                            .findElement(By.cssSelector("td.status"))
                            .getText())
                    .isEqualTo("PLACED");
            assertThat(browser.findElement(row).getText())
                    .contains("SELL")
                    .contains("250")
                    .contains("AAPL");
            wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#timeline li"), 0));
            wait.until(d -> d.findElements(By.cssSelector("#timeline li")).stream()
                    .anyMatch(li -> li.getText().contains("PLACED")));
            assertThat(browser.findElements(By.cssSelector("#timeline li"))
                            .get(0)
                            .getText())
                    .containsIgnoringCase("snapshot");
            assertThat(submitted).anySatisfy(request -> {
                assertThat(request.get("side").asString()).isEqualTo("SELL");
                assertThat(request.get("quantity").asLong()).isEqualTo(250);
                assertThat(request.get("price").asString()).isEqualTo("187.25");
            });
            Files.write(
                    Path.of("target", "live-page.png"),
                    ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            // and the status filter hides it under REJECTED and shows it under PLACED
            browser.findElement(By.cssSelector(".chip[data-status='REJECTED']")).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
            browser.findElement(By.cssSelector(".chip[data-status='PLACED']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(row));
        } finally {
            browser.quit();
        }
    }

    private static WebDriver chromium() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--window-size=1400,900",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static OrderState state(String orderId, JsonNode request, OrderStatus status, long version, Instant at) {
        JsonNode price = request.get("price");
        return OrderState.newBuilder()
                .setOrderId(orderId)
                .setAccountId(request.get("accountId").asString())
                .setClientOrderId(request.path("clientOrderId").asString(null))
                .setSymbol(request.get("symbol").asString())
                .setSide(Side.valueOf(request.get("side").asString()))
                .setOrderType(OrderType.valueOf(request.get("orderType").asString()))
                .setQuantity(request.get("quantity").asLong())
                .setPrice(price == null || price.isNull() ? null : new BigDecimal(price.asString()).setScale(6))
                .setStatus(status)
                .setVersion(version)
                .setAttempts(status == OrderStatus.PLACED ? 1 : 0)
                .setReasons(List.of())
                .setExchangeOrderId(status == OrderStatus.PLACED ? "SIM-" + orderId.substring(0, 8) : null)
                .setCreatedAt(at)
                .setUpdatedAt(Instant.now())
                .build();
    }
}
