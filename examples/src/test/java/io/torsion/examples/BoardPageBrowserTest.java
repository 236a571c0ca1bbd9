package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.testing.kit.Peer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's board page in a real browser: Debian's headless Chromium, driven through its
 * chromedriver by Selenium, loads {@code /}, and shows every change live over the {@code /ws}
 * WebSocket: one made with an HTTP PUT, one with the line protocol's SET, and one from the page's
 * own form (which the server then has); over HTTPS it uses {@code wss://}. The page's screenshot is
 * kept as {@code target/board-page.png}. Without Chromium the test is skipped with the reason,
 * except under CI, where {@code .ci/run} installs it and a missing browser fails.
 */
class BoardPageBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void showsEveryChangeLiveFromHttpTheLineProtocolAndItsOwnForm() throws Exception {
    requireChromium();
    try (RunningDemo running =
            RunningDemo.start(
                new ArrayList<>(),
                "--host",
                "127.0.0.1",
                "--echo-port",
                "0",
                "--line-port",
                "0",
                "--http-port",
                "0");
        Browser browser = Browser.start()) {
      String site = "http://127.0.0.1:" + running.port("http");
      WebDriver page = browser.driver;
      WebDriverWait wait = new WebDriverWait(page, WAIT);

      page.get(site + "/");
      assertThat(page.getTitle()).isEqualTo("Torsion board");
      wait.until(ExpectedConditions.textToBe(By.id("status"), "live"));
      assertThat(page.findElement(By.id("empty")).isDisplayed()).isTrue();

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(URI.create(site + "/kv/color"))
                  .PUT(HttpRequest.BodyPublishers.ofString("blue"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(204);
      wait.until(ExpectedConditions.textToBe(value("color"), "blue"));
      assertThat(page.findElement(By.id("empty")).isDisplayed()).isFalse();

      try (Peer line = Peer.connect(running.port("line"))) {
        BufferedReader replies =
            new BufferedReader(
                new InputStreamReader(line.socket().getInputStream(), StandardCharsets.UTF_8));
        assertThat(replies.readLine()).startsWith("WELCOME");
        line.write("SET shape a <b>bold</b> circle\r\n");
        assertThat(replies.readLine()).isEqualTo("OK");
      }
      // Shown as text, never as markup.
      wait.until(ExpectedConditions.textToBe(value("shape"), "a <b>bold</b> circle"));
      assertThat(page.findElements(By.cssSelector("tr[data-key=shape] b"))).isEmpty();

      page.findElement(By.id("key")).sendKeys("size");
      page.findElement(By.id("value")).sendKeys("large");
      page.findElement(By.id("send")).click();
      wait.until(ExpectedConditions.textToBe(value("size"), "large"));
      assertThat(http.send(get(site + "/kv/size"), HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("large\n");

      List<String> keys =
          page.findElements(By.cssSelector("#entries tr")).stream()
              .map(row -> row.getAttribute("data-key"))
              .toList();
      assertThat(keys).containsExactly("color", "shape", "size");

      byte[] screenshot = browser.driver.getScreenshotAs(OutputType.BYTES);
      Path kept = Path.of("target", "board-page.png");
      Files.createDirectories(kept.getParent());
      Files.write(kept, screenshot);
      assertThat(screenshot).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

      page.findElement(By.id("key")).clear();
      page.findElement(By.id("key")).sendKeys("bad");
      ((JavascriptExecutor) page)
          .executeScript("document.getElementById('value').value = 'x\\u0001y'");
      page.findElement(By.id("send")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "values are one"));

      // A new page opening now is sent the whole board first.
      page.navigate().refresh();
      wait.until(ExpectedConditions.textToBe(By.id("status"), "live"));
      wait.until(ExpectedConditions.textToBe(value("size"), "large"));
      assertThat(page.findElement(value("color")).getText()).isEqualTo("blue");
    }
  }

  @Test
  void overHttpsThePageListensOnWss() throws Exception {
    requireChromium();
    try (RunningDemo running =
            RunningDemo.start(
                new ArrayList<>(),
                "--host",
                "127.0.0.1",
                "--echo-port",
                "0",
                "--line-port",
                "0",
                "--http-port",
                "0",
                "--https-port",
                "0");
        Browser browser = Browser.start("--ignore-certificate-errors")) {
      WebDriver page = browser.driver;
      WebDriverWait wait = new WebDriverWait(page, WAIT);
      page.get("https://127.0.0.1:" + running.port("https") + "/");
      wait.until(ExpectedConditions.textToBe(By.id("status"), "live"));
      page.findElement(By.id("key")).sendKeys("secure");
      page.findElement(By.id("value")).sendKeys("yes");
      page.findElement(By.id("send")).click();
      wait.until(ExpectedConditions.textToBe(value("secure"), "yes"));
      assertThat(page.findElement(By.id("origin")).getText())
          .isEqualTo("https://127.0.0.1:" + running.port("https"));
    }
  }

  private static By value(String key) {
    return By.cssSelector("tr[data-key=" + key + "] td.value");
  }

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).build();
  }

  private static void requireChromium() {
    boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    if (!present && System.getenv("CI") != null) {
      Assertions.fail(
          "CI must install Debian's chromium and chromium-driver (.ci/run does): "
              + CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing");
    }
    Assumptions.assumeTrue(
        present,
        "headless Chromium is not installed (apt-get install chromium chromium-driver): "
            + CHROMIUM
            + ", "
            + CHROMEDRIVER);
  }

  /** Headless Chromium and its chromedriver, both Debian's, quit on close. */
  private record Browser(ChromeDriver driver) implements AutoCloseable {
    static Browser start(String... extraArguments) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments(
          "--headless=new",
          "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
          "--disable-dev-shm-usage",
          "--disable-gpu",
          "--no-first-run",
          "--window-size=900,700");
      options.addArguments(extraArguments);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER)
              .usingAnyFreePort()
              .build();
      return new Browser(new ChromeDriver(service, options));
    }

    @Override
    public void close() {
      driver.quit();
    }
  }
}
