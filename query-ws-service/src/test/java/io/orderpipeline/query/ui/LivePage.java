package io.orderpipeline.query.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real headless Chromium (Debian packages {@code chromium} and {@code chromium-driver}), with a
 * fresh profile per instance (no cookies, no sessionStorage), and the steps the tests take on it: open, sign in through
 * the issuer's login form, read who is signed in. Every wait is on a condition, with one deadline.
 */
final class LivePage implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The issuer's login session cookie (auth-server.yml), on the same host as the page: cookies ignore the port. */
    static final String ISSUER_SESSION_COOKIE = "ORDERS_AUTH_SESSION";

    private final WebDriver browser;
    private final WebDriverWait wait;
    private final String pageUrl;
    private final String issuerUrl;

    private LivePage(WebDriver browser, String pageUrl, String issuerUrl, Duration deadline) {
        this.browser = browser;
        this.pageUrl = pageUrl;
        this.issuerUrl = issuerUrl;
        this.wait = new WebDriverWait(browser, deadline);
        this.wait.ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class);
    }

    static void assumeChromium() {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("headless browser test needs Chromium at %s: apt-get install -y chromium chromium-driver", CHROMIUM)
                .isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER))
                .as("headless browser test needs ChromeDriver at %s: apt-get install -y chromium-driver", CHROMEDRIVER)
                .isTrue();
    }

    /** Opens {@code pageUrl} in a new browser; {@code issuerUrl} is where the issuer listens. */
    static LivePage open(String pageUrl, String issuerUrl) throws IOException {
        LivePage page = new LivePage(chromium(), pageUrl, issuerUrl, Duration.ofSeconds(60));
        page.browser.get(pageUrl + "/");
        return page;
    }

    WebDriver browser() {
        return browser;
    }

    WebDriverWait waiting() {
        return wait;
    }

    /** Clicks "Sign in", which must lead to the issuer's login form, fills it in and waits to be back, signed in. */
    void signIn(String username, String password) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        fillLoginForm(username, password);
        wait.until(ExpectedConditions.textToBe(By.id("user-name"), username));
    }

    /** Waits for the issuer's login form and submits it. */
    void fillLoginForm(String username, String password) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        assertThat(browser.getCurrentUrl()).as("the login form is the issuer's").startsWith(issuerUrl + "/login");
        browser.findElement(By.name("username")).sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    void waitUntilLive() {
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));
    }

    boolean onPage() {
        return browser.getCurrentUrl().startsWith(pageUrl + "/");
    }

    String signedInAs() {
        return browser.findElement(By.id("user-name")).getText();
    }

    String shownAccounts() {
        return browser.findElement(By.id("user-accounts")).getText();
    }

    List<String> accountChoices() {
        return new Select(browser.findElement(By.id("account")))
                .getOptions().stream().map(WebElement::getText).toList();
    }

    /** Epoch millis at which the page's current access token expires (0 when signed out). */
    long tokenExpiresAt() {
        String value = browser.findElement(By.id("user")).getAttribute("data-expires-at");
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    static By row(String orderId) {
        return By.cssSelector("tr[data-order-id='" + orderId + "']");
    }

    void waitForRow(String orderId, String status) {
        wait.until(ExpectedConditions.attributeToBe(row(orderId), "data-status", status));
    }

    boolean showsRow(String orderId) {
        return !browser.findElements(row(orderId)).isEmpty();
    }

    Object script(String javascript) {
        return ((JavascriptExecutor) browser).executeScript(javascript);
    }

    @Override
    public void close() {
        browser.quit();
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
}
