package dev.spinmatch.spinctl.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against the real stack: the page loads and shows the
 * worker group, and two spins from the "spin as user X" panel end with the user shown matched to
 * the partner. Needs Debian's chromium and chromium-driver (skipped without them, except in CI).
 */
class DashboardShowsTheMatchOfASpinFromThePanelTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private WebDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        assumeTrue(installed || System.getenv("CI") != null, "chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--user-data-dir=" + Files.createTempDirectory("spinctl-chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aSpinFromThePanelShowsItsMatch() {
        Stack stack = TestStack.get();
        browser.get(stack.api().uri() + "/dashboard/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.textMatches(By.id("group"), java.util.regex.Pattern.compile("spinmatch-workers")));

        String user = "panel-" + System.nanoTime();
        replace(browser.findElement(By.id("user-id")), user);
        replace(browser.findElement(By.id("pool")), "dashboard-test");
        browser.findElement(By.id("spin-button")).click();
        browser.findElement(By.id("partner-button")).click();

        By userState = By.cssSelector("#my-users tr[data-user='" + user + "'] .state");
        wait.until(ExpectedConditions.textToBe(userState, "matched"));
        String partner = browser.findElement(By.cssSelector("#my-users tr[data-user='" + user + "'] .partner")).getText();
        assertThat(partner).startsWith("partner-");
    }

    private static void replace(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }
}
