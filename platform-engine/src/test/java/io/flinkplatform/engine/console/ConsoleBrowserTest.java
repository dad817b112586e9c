package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver}): an
 * operator deploys a workflow from JSON (a validation error shown next to the text, then fixed),
 * triggers it, watches a task go RUNNING → SUCCESS without reloading, reads a failed task's log,
 * reruns the failure, kills a run and pauses a schedule with its button; a viewer sees no buttons
 * and is refused the actions; a request without the CSRF token and a planted session cookie get
 * nowhere. Screenshots of the main pages go to {@code target/console-screenshots} (and to {@code
 * docs/console} with {@code -Dconsole.screenshots=docs}).
 *
 * <p>Skipped without {@code /usr/bin/chromium} unless {@code PLATFORM_TEST_BROWSER=required} (CI),
 * which makes a missing browser a failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final String PASSWORD = "correct horse battery staple";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String GATE = "browser-" + UUID.randomUUID();
  static final String HOLD = "browser-hold-" + UUID.randomUUID();

  private static TestPlatforms platforms;
  private static Platform platform;
  private static URI base;
  private static WebDriver driver;
  private static ChromeDriverService service;
  private static Path profile;
  private static long failedRun;

  @BeforeAll
  static void start() throws IOException {
    boolean required = "required".equals(System.getenv("PLATFORM_TEST_BROWSER"));
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && required) {
      fail(
          "PLATFORM_TEST_BROWSER=required but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    }
    Assumptions.assumeTrue(
        present, "no " + CHROMIUM + " (apt-get install chromium chromium-driver)");
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "browser",
            b ->
                b.console(ConsoleSettings.builder().port(0).build())
                    // seals the alert channel's secret option
                    .keyRing(
                        () ->
                            io.flinkplatform.engine.KeyRing.of(
                                "k1", java.util.Base64.getEncoder().encodeToString(new byte[32]))));
    base = platform.consoleUri().orElseThrow();
    Users users = platform.users(Actor.SYSTEM);
    users.createUser("olivia", "Olivia", PASSWORD.toCharArray());
    users.createUser("victor", "Victor", PASSWORD.toCharArray());
    platform.client().setMember("olivia", Role.EDITOR);
    platform.client().setMember("victor", Role.VIEWER);

    profile = Files.createTempDirectory("console-browser-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile);
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1280, 900));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (driver != null) {
        driver.quit();
      }
      if (service != null) {
        service.stop();
      }
      if (profile != null) {
        Await.until(Duration.ofSeconds(30), () -> ours().isEmpty());
        assertThat(ours()).as("chromium or chromedriver processes left behind").isEmpty();
      }
    } finally {
      TestTasks.Gate.open(GATE);
      TestTasks.Gate.open(HOLD);
      if (platforms != null) {
        platforms.close();
      }
      if (profile != null) {
        deleteTree(profile);
      }
    }
  }

  /** Processes of this test's browser: its profile on their command line, or its driver. */
  private static List<String> ours() {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().orElse(""))
        .filter(
            cmd ->
                cmd.contains(profile.toString())
                    || (cmd.contains("chromedriver") && cmd.contains("--port=" + port())))
        .toList();
  }

  private static int port() {
    return service == null ? -1 : service.getUrl().getPort();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  // --- helpers

  private static void open(String path) {
    driver.get(base.resolve(path.substring(1)).toString());
  }

  /** A wait that looks again when htmx replaced the element it held. */
  private static WebDriverWait waiting() {
    WebDriverWait w = new WebDriverWait(driver, WAIT);
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return w;
  }

  private static WebElement await(By by) {
    return waiting().until(ExpectedConditions.presenceOfElementLocated(by));
  }

  private static void awaitUrl(String fragment) {
    waiting().until(ExpectedConditions.urlContains(fragment));
  }

  private static void login(String user) {
    driver.manage().deleteAllCookies();
    open("/login");
    await(By.name("user")).sendKeys(user);
    driver.findElement(By.name("password")).sendKeys(PASSWORD);
    driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    waiting()
        .until(
            d ->
                d.manage().getCookieNamed("fp_session") != null
                    && !d.getCurrentUrl().contains("/login"));
  }

  /**
   * Puts the text into the field as a paste would (keystrokes of a long JSON text are slow and
   * unreliable in headless Chromium), then types one space so that the page sees input.
   */
  private static void type(WebElement field, String text) {
    ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", field, text);
    field.sendKeys(" ");
  }

  private static void acceptConfirm() {
    waiting().until(ExpectedConditions.alertIsPresent()).accept();
  }

  /** Calls the API from the page's script (platformApi: with the session's CSRF token). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> callApi(String method, String path, String body) {
    Object out =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "window.platformApi(arguments[0], arguments[1], arguments[2] || undefined)"
                    + ".then(j => done({status: 200, json: JSON.stringify(j)}))"
                    + ".catch(e => done({status: e.status || 0, json: JSON.stringify(e.json || null)}));",
                method,
                path,
                body);
    return (Map<String, Object>) out;
  }

  private static void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "console-screenshots");
    Files.createDirectories(target);
    Files.copy(shot.toPath(), target.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    if ("docs".equals(System.getProperty("console.screenshots"))) {
      Path docs =
          Files.isDirectory(Path.of("..", "docs")) ? Path.of("..", "docs") : Path.of("docs");
      Files.createDirectories(docs.resolve("console"));
      Files.copy(
          shot.toPath(),
          docs.resolve("console").resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String node(String task, String state) {
    return "#run-live g.node[data-task='" + task + "'][data-state='" + state + "']";
  }

  private static String definition(String secondType) {
    return "{\"name\": \"browser_flow\", \"description\": \"waits at a gate, then checks\","
        + " \"tasks\": ["
        + "{\"id\": \"wait\", \"type\": \"gate\", \"options\": {\"gate\": \""
        + GATE
        + "\"}},"
        + "{\"id\": \"check\", \"type\": \""
        + secondType
        + "\", \"options\": {\"failTimes\": 1, \"retryable\": false}}],"
        + " \"edges\": [{\"from\": \"wait\", \"to\": \"check\"}]}";
  }

  // --- the scenario, in order

  @Test
  @Order(1)
  void aPlantedSessionCookieIsNotTheOneALoginGives() {
    open("/login");
    String planted = "planted-" + UUID.randomUUID();
    driver.manage().addCookie(new Cookie("fp_session", planted, "/"));
    await(By.name("user")).sendKeys("olivia");
    driver.findElement(By.name("password")).sendKeys(PASSWORD);
    driver.findElement(By.cssSelector("#login button[type=submit]")).click();
    waiting().until(d -> !d.getCurrentUrl().contains("/login"));
    Cookie session = driver.manage().getCookieNamed("fp_session");
    assertThat(session.getValue()).isNotEqualTo(planted);
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(new ConsoleClient(base).cookie(planted).get("api/v1/session").status())
        .isEqualTo(401);
  }

  @Test
  @Order(2)
  void deployWithAValidationErrorShownNextToTheTextThenFixed() throws IOException {
    login("olivia");
    open("/w/default/deploy");
    WebElement text = await(By.cssSelector("textarea[data-json]"));
    ((JavascriptExecutor) driver)
        .executeScript(
            "window.sent = []; const f = window.fetch;"
                + " window.fetch = (u, o) => { window.sent.push(o && o.body); return f(u, o); };");
    type(text, definition("no_such_type"));
    driver.findElement(By.cssSelector("form.deploy button[type=submit]")).click();
    WebElement problem = await(By.cssSelector("form.deploy [data-field-error=problems] li"));
    assertThat(problem.getText())
        .as(
            "sent %s",
            ((JavascriptExecutor) driver).executeScript("return JSON.stringify(window.sent);"))
        .contains("no_such_type");
    screenshot("deploy-error");
    assertThat(platform.client().workflow("browser_flow")).isEmpty();

    text = driver.findElement(By.cssSelector("textarea[data-json]"));
    type(text, "{not json");
    driver.findElement(By.cssSelector("form.deploy button[type=submit]")).click();
    waiting()
        .until(
            d ->
                !d.findElement(By.cssSelector("form.deploy [data-field-error=body]"))
                    .getText()
                    .isEmpty());

    type(text, definition("fail"));
    driver.findElement(By.cssSelector("form.deploy button[type=submit]")).click();
    awaitUrl("/w/default/workflows/browser_flow");
    await(By.cssSelector("svg.dag g.node[data-task='check']"));
    assertThat(platform.client().workflow("browser_flow")).isPresent();
  }

  @Test
  @Order(3)
  void triggerAndWatchATaskGoFromRunningToSuccessWithoutReloading() throws Exception {
    open("/w/default/workflows/browser_flow");
    screenshot("workflow");
    await(By.cssSelector("form.trigger button[type=submit]")).click();
    awaitUrl("/w/default/runs/");
    await(By.cssSelector(node("wait", "RUNNING")));
    failedRun = Long.parseLong(driver.getCurrentUrl().replaceAll(".*/runs/(\\d+).*", "$1"));
    ((JavascriptExecutor) driver).executeScript("window.notReloaded = true;");
    screenshot("run-running");

    TestTasks.Gate.open(GATE);
    await(By.cssSelector(node("wait", "SUCCESS")));
    await(By.cssSelector(node("check", "FAILED")));
    waiting()
        .until(
            d -> d.findElement(By.id("run-live")).getAttribute("data-run-state").equals("FAILED"));
    assertThat(((JavascriptExecutor) driver).executeScript("return window.notReloaded === true;"))
        .as("the page changed without a reload")
        .isEqualTo(true);
    assertThat(platform.client().run(failedRun).orElseThrow().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  @Order(4)
  void openTheFailedTasksLogThenRerunTheFailure() throws Exception {
    open("/w/default/runs/" + failedRun);
    screenshot("run");
    await(By.cssSelector("tr[data-task='check'][data-state='FAILED'] a[data-action=log]")).click();
    awaitUrl("/attempts/");
    waiting().until(d -> d.findElement(By.id("log")).getText().contains("attempt 1"));
    screenshot("log");

    open("/w/default/runs/" + failedRun);
    await(By.cssSelector("button[data-action=rerun-failed]")).click();
    waiting()
        .until(
            d ->
                d.findElements(By.cssSelector("tr[data-task='check'][data-state='SUCCESS']")).size()
                    == 1);
    waiting()
        .until(
            d -> d.findElement(By.id("run-live")).getAttribute("data-run-state").equals("SUCCESS"));
    assertThat(platform.client().run(failedRun).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
  }

  @Test
  @Order(5)
  void killARun() {
    PlatformClient system = platform.client();
    system.deploy(
        Workflow.builder("browser_hold").task("hold", "gate", t -> t.option("gate", HOLD)).build());
    long run = system.trigger("browser_hold");
    open("/w/default/runs/" + run);
    await(By.cssSelector(node("hold", "RUNNING")));
    await(By.cssSelector("button[data-action=kill]")).click();
    acceptConfirm();
    waiting()
        .until(
            d -> "KILLED".equals(d.findElement(By.id("run-live")).getAttribute("data-run-state")));
    assertThat(system.run(run).orElseThrow().state()).isEqualTo(RunState.KILLED);
  }

  @Test
  @Order(6)
  void pauseAScheduleWithItsButton() {
    platform
        .client()
        .saveSchedule(ScheduleSpec.builder("browser_nightly", "browser_flow", "0 3 1 1 *").build());
    open("/w/default/schedules");
    await(
            By.cssSelector(
                "button[data-api='POST /api/v1/workspaces/default/schedules/browser_nightly/pause']"))
        .click();
    acceptConfirm();
    waiting().until(d -> platform.client().schedule("browser_nightly").orElseThrow().paused());
    await(By.cssSelector(".state-paused"));
  }

  @Test
  @Order(7)
  void theMainPagesRender() throws IOException {
    open("/w/default/");
    await(By.cssSelector("svg.chart"));
    screenshot("overview");
    open("/w/default/workflows");
    await(By.cssSelector("tr[data-workflow='browser_flow']"));
    screenshot("workflows");
    open("/w/default/runs?workflow=browser_flow");
    await(By.cssSelector("tr[data-run='" + failedRun + "']"));
    screenshot("runs");
  }

  @Test
  @Order(8)
  void aRequestWithoutTheCsrfTokenIsRefused() {
    open("/w/default/");
    @SuppressWarnings("unchecked")
    Map<String, Object> r =
        (Map<String, Object>)
            ((JavascriptExecutor) driver)
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {method: 'POST', credentials: 'same-origin',"
                        + " headers: {'Content-Type': 'application/json'}, body: '{}'})"
                        + ".then(r => r.text().then(t => done({status: r.status, body: t})));",
                    "/api/v1/workspaces/default/workflows/browser_flow/trigger");
    assertThat(r.get("status")).isEqualTo(403L);
    assertThat(platform.client().runs("browser_flow", 10)).hasSize(1);
  }

  @Test
  @Order(9)
  void aViewerSeesNoButtonsAndIsRefusedTheActions() {
    login("victor");
    open("/w/default/runs/" + failedRun);
    await(By.id("run-live"));
    assertThat(driver.findElements(By.cssSelector("[data-api]"))).isEmpty();
    open("/w/default/workflows/browser_flow");
    await(By.cssSelector("svg.dag"));
    assertThat(driver.findElements(By.cssSelector("form.trigger, [data-api]"))).isEmpty();
    open("/w/default/deploy");
    assertThat(driver.findElements(By.cssSelector("form.deploy"))).isEmpty();

    Map<String, Object> kill =
        callApi("POST", "/api/v1/workspaces/default/runs/" + failedRun + "/kill", null);
    assertThat(kill.get("status")).isEqualTo(403L);
    assertThat((String) kill.get("json")).contains("AccessDeniedException");
    Map<String, Object> trigger =
        callApi("POST", "/api/v1/workspaces/default/workflows/browser_flow/trigger", "{}");
    assertThat(trigger.get("status")).isEqualTo(403L);
    assertThat(platform.client().runs("browser_flow", 10)).hasSize(1);
  }

  @Test
  @Order(10)
  void anEditorCreatesAChannelAndARuleOnTheAlertsPagesAndSeesThemListed() throws IOException {
    login("olivia");
    String secret = "browser-" + UUID.randomUUID();
    open("/w/default/alerts/channels");
    WebElement type = await(By.cssSelector("details.channel-type[data-type='consoletest']"));
    type.findElement(By.tagName("summary")).click();
    WebElement form = type.findElement(By.tagName("form"));
    form.findElement(By.name("name")).sendKeys("browser-ops");
    form.findElement(By.name("option.url")).sendKeys("http://hooks.test/browser");
    form.findElement(By.name("option.token")).sendKeys(secret);
    form.findElement(By.name("option.retries")).sendKeys("2");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    await(By.cssSelector("tr[data-channel='browser-ops']"));
    assertThat(driver.getPageSource()).doesNotContain(secret).contains("http://hooks.test/browser");
    ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
    screenshot("alert-channels");

    open("/w/default/alerts/rules");
    WebElement rule = await(By.cssSelector("form.rule-form"));
    rule.findElement(By.name("name")).sendKeys("browser-failed");
    new Select(rule.findElement(By.name("kind"))).selectByValue("RUN_FAILED");
    new Select(rule.findElement(By.name("channels"))).selectByValue("browser-ops");
    rule.findElement(By.name("workflow")).sendKeys("browser_*");
    rule.findElement(By.name("rateLimit")).sendKeys("5m");
    rule.findElement(By.cssSelector("button[type=submit]")).click();
    await(By.cssSelector("tr[data-rule='browser-failed']"));
    var saved = platform.client().alerts().rule("browser-failed").orElseThrow();
    assertThat(saved.channels()).containsExactly("browser-ops");
    assertThat(saved.workflow()).isEqualTo("browser_*");
    assertThat(saved.rateLimit()).isEqualTo(Duration.ofMinutes(5));
    assertThat(saved.enabled()).isTrue();
    ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
    screenshot("alert-rules");

    open("/w/default/alerts/channels");
    await(
            By.cssSelector(
                "button[data-api='POST /api/v1/workspaces/default/alerts/channels/browser-ops/test']"))
        .click();
    waiting().until(d -> d.findElement(By.id("flash")).getText().contains("Done"));
    open("/w/default/alerts");
    await(By.cssSelector("tr[data-alert] details.delivery[data-channel='browser-ops']"));
    assertThat(driver.getPageSource()).doesNotContain(secret);
    // the history refreshes itself: a new alert appears without a reload
    long next = platform.client().alerts().test("browser-ops").id();
    await(By.cssSelector("tr[data-alert='" + next + "']"));
    ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
    screenshot("alerts");
  }
}
