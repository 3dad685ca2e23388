package io.askexpert.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.auth.BrowserSignIn;
import io.askexpert.knowledge.StarterKnowledgeLoader;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Missions page in a real browser on the keyless default (the offline planner and executor,
 * the in-process queue and worker, the starter catalogue and knowledge): start a mission from the
 * form, see it stop at its plan-approval checkpoint, reload and find the card again, approve it in
 * the page, watch it complete, read the rendered report and download it; then pause, resume and
 * cancel a second mission while it waits; then a team's mission (mode 4): a failed and a passed
 * preflight in the form, the team and its members' states live, completion and the report's
 * download. axe-core checks each state; the screenshots go to docs/screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MissionsBrowserIT {

    static final String TENANT = "t-web-missions";
    static final String GOAL = "Summarise the expedited reporting timelines for SUSARs in clinical trials";
    static final Duration MISSION = Duration.ofMinutes(4);
    static final TestPostgres DB = TestPostgres.create();
    static final Path DATA_DIR = tempDir("ask-expert-webmissions-");
    static final Path DOWNLOADS = tempDir("ask-expert-downloads-");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DB.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(DATA_DIR.toFile());
            org.springframework.util.FileSystemUtils.deleteRecursively(DOWNLOADS.toFile());
        }));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, DATA_DIR);
        registry.add("ask-expert.redis.url", () -> "");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "");
        registry.add("ask-expert.llm.openai-api-key", () -> "");
        registry.add("ask-expert.runs.heartbeat-interval", () -> "2s");
    }

    static Browser browser;
    static String missionId;

    @LocalServerPort int port;
    @Autowired BrowserSignIn signIn;
    @Autowired StarterKnowledgeLoader starterKnowledge;
    private static volatile boolean starterLoaded;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private void signedIn() {
        if (!starterLoaded) {
            starterKnowledge.load();
            starterLoaded = true;
        }
        if (!browser.findAll(".identity").isEmpty()) {
            return;
        }
        browser.open(BrowserSignIn.link("http://localhost:" + port, signIn.mintLinkCode(TENANT, "mia", true)));
        eventually(Duration.ofSeconds(30)).until(() -> !browser.findAll(".identity").isEmpty());
    }

    @Test
    @Order(1)
    void starts_a_mission_approves_its_plan_in_the_page_and_downloads_the_report() throws Exception {
        signedIn();
        goToMissions();
        eventually(Duration.ofSeconds(10)).until(() -> !browser.findAll("form.mission-form").isEmpty());
        browser.assertAccessible("missions (new mission form)");
        browser.screenshots("missions-new");

        startMission(GOAL, "plan_approval");
        WebElement card = awaitCheckpoint("plan_approval");
        missionId = browser.driver.getCurrentUrl().replaceFirst(".*[?&]id=", "");
        assertThat(card.getText()).contains("Approve the plan").contains("Without a decision in");
        assertThat(browser.find(".mission-status").getText()).isEqualTo("Waiting for you");
        assertThat(browser.findAll(".plan-step")).isNotEmpty();
        assertThat(browser.find(".mission-log").getText()).contains("checkpoint");

        // A reload (or a tab opened later) shows the mission where it is, the card included.
        browser.driver.navigate().refresh();
        card = awaitCheckpoint("plan_approval");
        browser.assertAccessible("missions (checkpoint)");
        browser.screenshots("mission-checkpoint");

        card.findElement(By.xpath(".//button[text()='Approve']")).click();
        eventually(MISSION).until(() -> "completed".equals(browser.find(".mission-status").getAttribute("data-status")));
        eventually(Duration.ofSeconds(20)).until(() -> !browser.find(".report-box").getText().isBlank()
                && browser.find(".report-box").isDisplayed());
        assertThat(browser.findAll(".checkpoint-card")).isEmpty();
        assertThat(browser.find(".report").getText()).containsIgnoringCase("offline").contains("[1]");
        assertThat(browser.findAll(".plan-step")).allSatisfy(s -> assertThat(s.getAttribute("data-status")).isEqualTo("completed"));
        assertThat(browser.find(".budget-text").getText()).contains("of $5.00");
        assertThat(browser.script("""
                return [...document.querySelectorAll('#main script, #main iframe, #main img, #main svg')].length
                  + [...document.querySelectorAll('#main *')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length
                  + [...document.querySelectorAll('a[href^="javascript:"]')].length""")).isEqualTo(0L);

        browser.driver.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", DOWNLOADS.toString()));
        WebElement download = browser.find(".artifact-list a.download");
        assertThat(download.getAttribute("href")).contains("/api/v1/expert/missions/" + missionId + "/artifacts/");
        download.click();
        Path file = eventually(Duration.ofSeconds(30)).until(MissionsBrowserIT::downloaded, p -> p != null);
        assertThat(Files.readString(file)).contains("[1]").containsIgnoringCase("offline");

        browser.assertAccessible("missions (completed, report)");
        browser.script("arguments[0].scrollIntoView({block: 'start'})", browser.find(".report-box"));
        browser.screenshots("mission-report");
        browser.script("window.scrollTo(0, 0)");
        browser.script("document.documentElement.dataset.theme = 'dark'");
        browser.shoot("mission-report-dark-desktop");
        browser.assertAccessible("missions (completed, dark)");
        browser.script("delete document.documentElement.dataset.theme");
    }

    @Test
    @Order(2)
    void the_history_lists_missions_and_a_waiting_mission_is_paused_resumed_and_cancelled() {
        signedIn();
        goToMissions();
        eventually(Duration.ofSeconds(10)).until(() -> browser.find(".mission-list").getText().contains("completed"));
        startMission("Check which documents a DSUR must contain for an oncology programme", null);
        awaitCheckpoint("plan_approval");
        browser.driver.findElement(By.xpath("//div[contains(@class,'mission-controls')]/button[text()='Pause']")).click();
        eventually(Duration.ofSeconds(30)).until(() -> "paused".equals(browser.find(".mission-status").getAttribute("data-status")));
        assertThat(browser.find(".mission-controls button:nth-child(2)").isEnabled()).as("Resume").isTrue();
        browser.driver.findElement(By.xpath("//div[contains(@class,'mission-controls')]/button[text()='Resume']")).click();
        // Resumed, the mission replays to its undecided checkpoint and waits there again.
        eventually(MISSION).until(() -> "waiting_for_human".equals(browser.find(".mission-status").getAttribute("data-status")));
        awaitCheckpoint("plan_approval");
        browser.find(".mission-controls button.danger").click();
        browser.driver.switchTo().alert().accept();
        eventually(Duration.ofSeconds(30)).until(() -> "cancelled".equals(browser.find(".mission-status").getAttribute("data-status")));
        assertThat(browser.findAll(".checkpoint-card")).isEmpty();
        eventually(Duration.ofSeconds(10)).until(() -> browser.find(".mission-list").getText().contains("cancelled"));

        browser.find(".mission-list a[href*='" + missionId + "']").click();
        eventually(Duration.ofSeconds(20)).until(() -> "completed".equals(browser.find(".mission-status").getAttribute("data-status"))
                && browser.find(".report-box").isDisplayed());
        browser.assertAccessible("missions (history)");
    }

    @Test
    @Order(3)
    void a_team_mission_shows_its_preflight_and_team_then_completes_with_a_downloadable_report() throws Exception {
        signedIn();
        goToMissions();
        if (browser.findAll("form.mission-form").isEmpty()) {
            browser.driver.findElement(By.xpath("//div[@class='conversations-head']/button[text()='New']")).click();
        }
        // The team option shows only when /mode4/health says mode 4 is on.
        eventually(Duration.ofSeconds(10)).until(() -> browser.find("fieldset.mission-mode").isDisplayed());
        browser.find("form.mission-form textarea[name=goal]").sendKeys(
                "Prepare the expedited safety reporting and signal detection plan for an oncology trial in the US and the EU");
        browser.driver.findElement(By.xpath("//fieldset[contains(@class,'mission-mode')]//label[text()='Assemble a team for me']")).click();
        assertThat(browser.find(".mission-form .expert-part").isDisplayed()).isFalse();
        assertThat(browser.find("form.mission-form input[name=budget]").getAttribute("value")).isEqualTo("10.00");
        browser.find("form.mission-form input[name=title]").sendKeys("Oncology safety plan");
        WebElement size = browser.find("form.mission-form input[name=max_team_size]");
        size.clear();
        size.sendKeys("3");
        // A budget below the estimate fails the preflight: the failed check says what to change and Start stays off.
        WebElement budget = browser.find("form.mission-form input[name=budget]");
        budget.clear();
        budget.sendKeys("0.01");
        browser.find("form.mission-form button[type=submit]").click();
        eventually(Duration.ofSeconds(60)).until(() -> "failed".equals(browser.find(".mission-form .preflight").getAttribute("data-status")));
        assertThat(browser.find(".mission-form .preflight-check[data-status='failed']").getText()).containsIgnoringCase("budget");
        assertThat(browser.find(".mission-form button.start-team").isEnabled()).isFalse();
        budget.clear();
        budget.sendKeys("10.00");
        browser.find("form.mission-form button[type=submit]").click();

        eventually(Duration.ofSeconds(60)).until(() -> "passed".equals(browser.find(".mission-form .preflight").getAttribute("data-status")));
        assertThat(browser.findAll(".mission-form .preflight-check")).extracting(e -> e.getText().toLowerCase())
                .hasSize(4).anySatisfy(t -> assertThat(t).contains("budget"));
        assertThat(browser.find(".mission-form .preflight").getText()).contains("Estimated $");
        browser.assertAccessible("missions (team preflight)");
        browser.screenshots("mission-team-preflight");

        browser.find(".mission-form button.start-team").click();
        eventually(Duration.ofSeconds(20)).until(() -> !browser.findAll(".mission-view .team-member").isEmpty());
        String teamMissionId = browser.driver.getCurrentUrl().replaceFirst(".*[?&]id=", "");
        assertThat(browser.find(".mission-view .preflight").getText()).contains("passed");
        eventually(MISSION).until(() -> "completed".equals(browser.find(".mission-status").getAttribute("data-status")));
        eventually(Duration.ofSeconds(20)).until(() -> browser.find(".report-box").isDisplayed()
                && !browser.find(".report").getText().isBlank());
        List<WebElement> members = browser.findAll(".team-member");
        assertThat(members).isNotEmpty().allSatisfy(m -> {
            assertThat(m.findElement(By.cssSelector(".member-name")).getText()).isNotBlank();
            assertThat(m.findElement(By.cssSelector(".member-meta")).getText()).contains("confidence");
        });
        assertThat(browser.find(".team-member .member-role").getText()).isEqualTo("lead");
        // Each member's status comes from team_status, read after the events settle.
        eventually(Duration.ofSeconds(20)).until(() -> browser.findAll(".team-member").stream()
                .noneMatch(m -> "assigned".equals(m.getAttribute("data-status"))));
        assertThat(browser.findAll(".member-delegations li")).isNotEmpty();
        assertThat(browser.find(".mission-log").getText()).contains("team_assembly").contains("preflight");
        assertThat(browser.find(".budget-text").getText()).contains("of $10.00");

        browser.driver.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", DOWNLOADS.toString()));
        List<Path> before = mdFiles();
        // The list is drawn again with every status read: find and click in one go.
        eventually(Duration.ofSeconds(10)).until(() -> {
            WebElement download = browser.find(".artifact-list a.download");
            assertThat(download.getAttribute("href")).contains("/api/v1/expert/missions/" + teamMissionId + "/artifacts/");
            download.click();
            return true;
        });
        Path file = eventually(Duration.ofSeconds(30)).until(() -> mdFiles().stream().filter(p -> !before.contains(p))
                .findFirst().orElse(null), p -> p != null);
        assertThat(Files.readString(file)).contains("*Author: ");

        browser.assertAccessible("missions (team, completed)");
        browser.script("arguments[0].scrollIntoView({block: 'start'})", browser.find(".team"));
        browser.screenshots("mission-team");
        browser.script("window.scrollTo(0, 0)");

        // The history lists both modes; reopening the team's mission replays its team.
        eventually(Duration.ofSeconds(10)).until(() -> browser.find(".mission-list").getText().contains("team led by"));
        browser.driver.navigate().refresh();
        eventually(Duration.ofSeconds(30)).until(() -> !browser.findAll(".mission-view .team-member .member-evidence").isEmpty()
                && browser.find(".report-box").isDisplayed());
    }

    private static List<Path> mdFiles() throws IOException {
        try (Stream<Path> files = Files.list(DOWNLOADS)) {
            return files.filter(p -> p.toString().endsWith(".md")).toList();
        }
    }

    private void goToMissions() {
        browser.driver.findElement(By.cssSelector(".nav-links a[data-view='missions']")).click();
        eventually(Duration.ofSeconds(10)).until(() -> browser.find("#main h1").getText().equals("Missions"));
    }

    /** Fills the form; with {@code onlyType}, every other checkpoint type is unticked. */
    private void startMission(String goal, String onlyType) {
        if (browser.findAll("form.mission-form").isEmpty()) {
            browser.driver.findElement(By.xpath("//div[@class='conversations-head']/button[text()='New']")).click();
        }
        eventually(Duration.ofSeconds(10)).until(() -> !browser.findAll("form.mission-form").isEmpty());
        browser.find("form.mission-form textarea[name=goal]").sendKeys(goal);
        WebElement query = browser.find(".mission-form .expert-browser input[type=search]");
        query.sendKeys("pharmacovigilance");
        By option = By.xpath("//div[@class='expert-option']/label[strong='Pharmacovigilance Expert']");
        eventually(Duration.ofSeconds(15)).until(() -> {
            browser.driver.findElement(option).click();
            return browser.find(".mission-form .expert-card h3").getText().equals("Pharmacovigilance Expert");
        });
        if (onlyType != null) {
            for (WebElement box : browser.findAll(".checkpoint-types input[type=checkbox]")) {
                if (!box.getAttribute("value").equals(onlyType) && box.isSelected()) {
                    browser.find("label[for='" + box.getAttribute("id") + "']").click();
                }
            }
        }
        browser.find("form.mission-form button[type=submit]").click();
        eventually(Duration.ofSeconds(20)).until(() -> !browser.findAll(".mission-view").isEmpty());
    }

    private WebElement awaitCheckpoint(String type) {
        eventually(MISSION).until(() -> !browser.findAll(".checkpoint-card[data-type='" + type + "']").isEmpty());
        return browser.find(".checkpoint-card[data-type='" + type + "']");
    }

    private static Path downloaded() throws IOException {
        try (Stream<Path> files = Files.list(DOWNLOADS)) {
            List<Path> done = files.filter(p -> p.toString().endsWith(".md")).toList();
            return done.isEmpty() ? null : done.getFirst();
        }
    }

    private static ConditionFactory eventually(Duration timeout) {
        return await().atMost(timeout).ignoreExceptions();
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
