package dev.memsnap.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headless Chromium, driven through its own chromedriver: both paths are given, so Selenium Manager never looks for
 * (or downloads) a browser or a driver. Each is the system property {@code memsnap.chromium} /
 * {@code memsnap.chromedriver} when set, else the first of its usual names on {@code PATH} ({@link #find}). CI installs
 * Debian's with {@code .ci/chromium.sh}; without them the tests fail, they do not skip.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM_PROPERTY = "memsnap.chromium";
    static final String CHROMEDRIVER_PROPERTY = "memsnap.chromedriver";
    static final List<String> CHROMIUM_NAMES =
            List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome");
    static final List<String> CHROMEDRIVER_NAMES = List.of("chromedriver");
    /** How long any one thing may take to show on the page. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /**
     * Selenium warns that it has no DevTools bindings for this Chromium's version; the tests use WebDriver only.
     * Held here so that the configured loggers are not collected.
     */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream.of(
                    "org.openqa.selenium.devtools.CdpVersionFinder", "org.openqa.selenium.chromium.ChromiumDriver")
            .map(java.util.logging.Logger::getLogger)
            .peek(logger -> logger.setLevel(java.util.logging.Level.SEVERE))
            .toList();

    final WebDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(WebDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /**
     * @param property the system property that names the executable, which wins when set
     * @param path     the {@code PATH} to search otherwise
     * @param names    the names to look for there, in order
     * @return the executable
     * @throws AssertionError when there is none, naming where it was looked for: the test fails, it does not skip
     */
    static Path find(String property, String path, List<String> names) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            Path file = Path.of(given);
            assertTrue(Files.isExecutable(file), "-D" + property + "=" + given + " is not an executable file");
            return file;
        }
        for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            for (String name : names) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name);
                }
            }
        }
        throw new AssertionError("the dashboard's end-to-end tests need " + names.get(0) + ": none of "
                + names + " is on PATH, and -D" + property + " is not set (Debian: run .ci/chromium.sh, which "
                + "installs chromium and chromium-driver)");
    }

    static Browser start() throws IOException {
        Path chromium = find(CHROMIUM_PROPERTY, System.getenv("PATH"), CHROMIUM_NAMES);
        Path chromedriver = find(CHROMEDRIVER_PROPERTY, System.getenv("PATH"), CHROMEDRIVER_NAMES);
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, chromedriver.toString());
        Path profile = Files.createTempDirectory("memsnap-dashboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--window-size=1360,900", "--force-device-scale-factor=1", "--lang=en-US",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogOutput(System.err)
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(TIMEOUT).scriptTimeout(TIMEOUT);
            return new Browser(driver, service, profile);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw e;
        }
    }

    void open(String url) {
        driver.get(url);
    }

    /**
     * Waits for a condition, polling every 100 ms for at most {@link #TIMEOUT}. The page re-renders its lists as
     * events arrive, so an element found a moment ago may be gone: the condition is then simply tried again.
     */
    <T> T await(String what, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(100))
                .withMessage(what)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** Clicks what {@code css} finds, again if the page replaced it in between. */
    void click(String css) {
        await("to click " + css, d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the page says it receives events. */
    void awaitLive() {
        await("the page's connection status to become live", d -> "live".equals(
                d.findElement(By.id("conn")).getDomAttribute("data-state")));
    }

    /** @return the PNG written under {@code target/screenshots} (the surefire property {@code dashboard.screenshots}) */
    Path screenshot(String name) throws IOException {
        Path dir = Path.of(System.getProperty("dashboard.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Path target = dir.resolve(name + ".png");
        Files.write(target, png);
        return target;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    /** Best effort: a profile file still held open is left to the system's temporary-file cleaning. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("could not delete the Chromium profile " + root + ": " + e);
        }
    }
}
