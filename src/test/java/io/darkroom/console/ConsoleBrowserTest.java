package io.darkroom.console;

import io.darkroom.DarkroomTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium (Debian's chromium and chromedriver): a delivered, a
 * failed and a held job; the failed one is fixed and run again from the console.
 */
class ConsoleBrowserTest extends DarkroomTestSupport {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsThumbnailsAndErrorsAndRerunsAFixedJob() throws Exception {
        sample("coffee.png", "mug.png");
        write("mug.txt", "the mug on a marble counter");
        sample("truncated.jpg", "broken.jpg");
        write("broken.txt", "the rocket at dawn");
        sample("chelsea.png", "pricey.png");
        write("pricey.yaml", "prompt: the cat as a mascot\nbudgetUsd: 0.001\n");
        awaitFinished(3, Duration.ofSeconds(30));
        assertEquals(1, outcomes().delivered());
        assertEquals(1, outcomes().failed());
        assertEquals(1, outcomes().held());

        browser = chromium();
        browser.get("http://127.0.0.1:" + serverPort + "/");

        WebElement delivered = job("mug.txt", "DELIVERED");
        assertLoaded(delivered.findElement(By.cssSelector("img.reference")));
        assertLoaded(delivered.findElement(By.cssSelector("img.result")));
        assertTrue(delivered.findElement(By.cssSelector(".model")).getText().contains("black-forest-labs/flux-2-pro"));
        assertFalse(delivered.findElement(By.cssSelector(".why")).getText().isBlank(), "why the model was chosen");
        assertTrue(delivered.findElement(By.cssSelector(".cost")).getText().contains("estimated $"));

        WebElement failedJob = job("broken.txt", "FAILED");
        assertEquals("IMAGE_CORRUPT", failedJob.findElement(By.cssSelector(".error-code")).getText());
        assertTrue(failedJob.findElement(By.cssSelector(".error-hint")).getText().contains("export or copy it again"));

        WebElement heldJob = job("pricey.yaml", "HELD");
        assertTrue(heldJob.findElement(By.cssSelector(".error-code")).getText().contains("BUDGET_EXCEEDED"));
        assertEquals(1, heldJob.findElements(By.cssSelector("button.release")).size(), "a held job can be released");
        assertTrue(browser.findElement(By.id("spend-today")).getText().startsWith("$"), "today's spend is shown");

        Files.createDirectories(Path.of("target"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/console.png"), StandardCopyOption.REPLACE_EXISTING);

        // the operator fixes the image where it lies in failed/, then presses rerun
        Files.copy(Path.of("src/test/resources/samples/rocket.jpg"), failed.resolve("broken.jpg"), StandardCopyOption.REPLACE_EXISTING);
        failedJob.findElement(By.cssSelector("button.rerun")).click();
        assertTrue(browser.findElement(By.cssSelector(".message")).getText().contains("runs again"));

        // the page updates itself: no reload
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                !browser.findElements(By.cssSelector("article.job[data-ticket='broken.txt'][data-state='DELIVERED']")).isEmpty());
        WebElement rerun = job("broken.txt", "DELIVERED");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            assertLoaded(job("broken.txt", "DELIVERED").findElement(By.cssSelector("img.result")));
        });
        assertTrue(rerun.isDisplayed());
        assertTrue(Files.exists(done.resolve("broken.jpg")), "the fixed input went through like any other");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('job-' + arguments[0]).scrollIntoView()",
                rerun.getAttribute("data-job"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/console-after-rerun.png"),
                StandardCopyOption.REPLACE_EXISTING);

        // the held job goes through once released, its budget notwithstanding
        job("pricey.yaml", "HELD").findElement(By.cssSelector("button.release")).click();
        assertTrue(browser.findElement(By.cssSelector(".message")).getText().contains("released"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                !browser.findElements(By.cssSelector("article.job[data-ticket='pricey.yaml'][data-state='DELIVERED']")).isEmpty());

        List<Path> thumbnails = filesUnder(data.resolve("thumbnails")).stream().map(Path::of).toList();
        assertTrue(thumbnails.size() >= 4, "thumbnails kept under the data folder: " + thumbnails);
    }

    private WebElement job(String ticket, String state) {
        return browser.findElement(By.cssSelector("article.job[data-ticket='" + ticket + "'][data-state='" + state + "']"));
    }

    private void assertLoaded(WebElement image) {
        await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) ((JavascriptExecutor) browser)
                .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", image));
    }

    /** Debian's Chromium through Debian's chromedriver: nothing is downloaded at run time. */
    static ChromeDriver chromium() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does it)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1400",
                "--no-first-run", "--disable-background-networking", "--disable-extensions", "--disable-sync",
                "--disable-component-update", "--disable-default-apps");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
