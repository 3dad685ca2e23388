package io.askexpert.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.testsupport.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web app in a real browser, one signed-in user through the pages in order: sign in with the
 * one-time link, ask mode 1 and watch the tokens arrive and open a citation, ask mode 2 and see
 * the panel with its evidence, stop an answer, reload in the middle of one, manage the
 * conversations, upload and find a document, import and edit experts, prove markup in an answer
 * or a document never runs, and sign in as another tenant who sees none of it. Every page is
 * checked with axe-core and photographed at desktop and phone width into docs/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppBrowserIT extends WebAppFixture {

    static Browser browser;
    static final Duration ANSWER = Duration.ofSeconds(30);

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

    @BeforeEach
    void plainAnswers() {
        MOCK.resetScript();
        MOCK.answerWith(null);
    }

    @Test
    @Order(1)
    void signs_in_with_the_one_time_link_which_then_is_worthless() {
        browser.open(baseUrl() + "/");
        eventually(Duration.ofSeconds(20)).until(() -> !browser.findAll("form.signin-form").isEmpty());
        browser.assertAccessible("sign-in");
        browser.screenshots("signin");

        String link = signInLink(TENANT, ADMIN, true);
        browser.open(link);
        eventually(Duration.ofSeconds(20)).until(() -> !browser.findAll(".identity").isEmpty());
        assertThat(browser.find(".identity").getText()).isEqualTo("t-web / alice (admin)");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("signin=");
        assertThat(browser.driver.manage().getCookieNamed("ask_expert_session").isHttpOnly()).isTrue();
        assertThat(browser.script("return document.cookie")).asString().doesNotContain("ask_expert_session");

        browser.open(link);
        eventually(Duration.ofSeconds(20)).until(() -> !browser.findAll("form.signin-form").isEmpty());
        assertThat(browser.find(".signin [role=alert]").getText()).contains("expired or was already used");

        browser.open(signInLink(TENANT, ADMIN, true));
        eventually(Duration.ofSeconds(20)).until(() -> !browser.findAll(".identity").isEmpty());
    }

    @Test
    @Order(2)
    void mode1_streams_tokens_and_a_citation_opens_its_passage_and_document() {
        MOCK.answerWith(words("IND", 40) + " The IND needs the protocol and chemistry data [1].");
        goTo("ask");
        chooseExpert("IND", "FDA Regulatory Affairs Expert");
        ask("What must an IND contain for a first-in-human study?");

        WebElement answer = lastAnswer();
        // Tokens are seen arriving: some text while the answer is still busy, more once it is done.
        String partial = eventually(ANSWER).until(() -> busy(answer) ? text(answer) : null,
                t -> t != null && !t.isBlank());
        awaitDone(answer);
        assertThat(text(answer)).startsWith(partial.strip()).hasSizeGreaterThan(partial.strip().length());
        assertThat(answer.findElement(By.cssSelector(".answer-footer")).getText()).contains("cost $");

        WebElement cite = answer.findElement(By.cssSelector("button.cite"));
        assertThat(cite.getText()).isEqualTo("[1]");
        cite.click();
        WebElement dialog = browser.find("dialog.passage[open]");
        assertThat(dialog.findElement(By.cssSelector(".passage-text")).getText()).isNotBlank();
        dialog.findElements(By.cssSelector(".actions button")).getFirst().click();
        eventually(Duration.ofSeconds(10)).until(() -> !dialog.findElements(By.cssSelector(".document-text .passage-mark")).isEmpty());
        browser.assertAccessible("citation dialog");
        browser.screenshots("citation");
        dialog.findElement(By.cssSelector("button.primary")).click();
        assertThat(browser.findAll("dialog.passage[open]")).isEmpty();

        browser.script("arguments[0].scrollIntoView({block: 'start'})", answer);
        answer.findElement(By.cssSelector("details.reasoning summary")).click();
        assertThat(answer.findElement(By.cssSelector("details.reasoning")).getAttribute("open")).isNotNull();
        browser.assertAccessible("ask");
        browser.screenshots("ask-mode1");
    }

    @Test
    @Order(3)
    void mode2_shows_the_panel_fusion_chose_with_its_evidence() {
        goTo("ask");
        clickNew();
        browser.find("label[for='ask-mode-2']").click();
        ask("How fast must a fatal unexpected serious adverse reaction be reported in the EU?");

        WebElement answer = lastAnswer();
        eventually(ANSWER).until(() -> !answer.findElements(By.cssSelector(".fusion-panel .panel-expert")).isEmpty());
        WebElement panel = answer.findElement(By.cssSelector(".fusion-panel"));
        assertThat(panel.findElements(By.cssSelector("meter"))).isNotEmpty();
        assertThat(panel.findElement(By.cssSelector(".evidence-table")).getText()).contains("Vector").contains("Graph");
        eventually(ANSWER).until(() -> panel.findElement(By.cssSelector(".ranks")).getText().contains("rank"));
        awaitDone(answer);
        assertThat(panel.findElement(By.cssSelector(".why")).getText()).isNotBlank();
        browser.script("arguments[0].scrollIntoView({block: 'start'})", answer);
        browser.assertAccessible("ask (panel)");
        browser.screenshots("ask-mode2");
        browser.script("document.documentElement.dataset.theme = 'dark'");
        browser.shoot("ask-mode2-dark-desktop");
        browser.assertAccessible("ask (panel, dark)");
        browser.script("delete document.documentElement.dataset.theme");
    }

    @Test
    @Order(4)
    void stop_cancels_the_answer() {
        MOCK.script(null, "stall-after-3");
        goTo("ask");
        clickNew();
        chooseExpert("IND", "FDA Regulatory Affairs Expert");
        ask("What must an IND contain when the drug is already marketed?");
        WebElement answer = lastAnswer();
        eventually(ANSWER).until(() -> !text(answer).isBlank());
        browser.find(".composer button.danger").click();
        eventually(ANSWER).until(() -> "stopped".equals(answer.getAttribute("data-state")));
        assertThat(answer.findElement(By.cssSelector(".answer-footer")).getText()).startsWith("Stopped.");
    }

    @Test
    @Order(5)
    void a_reload_in_the_middle_of_an_answer_resumes_it_without_losing_or_repeating_tokens() {
        String full = words("resume", 80);
        MOCK.answerWith(full);
        goTo("ask");
        clickNew();
        chooseExpert("IND", "FDA Regulatory Affairs Expert");
        ask("What must an IND contain for a biologic?");
        WebElement before = lastAnswer();
        eventually(ANSWER).until(() -> text(before).split(" ").length >= 10);
        assertThat(busy(before)).as("still streaming when the page reloads").isTrue();

        browser.driver.navigate().refresh();

        eventually(ANSWER).until(() -> !browser.findAll(".turn.assistant").isEmpty());
        WebElement after = lastAnswer();
        awaitDone(after);
        assertThat(text(after)).isEqualTo(full);
        assertThat(browser.findAll(".turn.user")).extracting(WebElement::getText)
                .containsOnlyOnce("What must an IND contain for a biologic?");
    }

    @Test
    @Order(6)
    void conversations_are_listed_renamed_deleted_and_continued() {
        goTo("ask");
        eventually(Duration.ofSeconds(10)).until(() -> browser.findAll(".conversation-list li").size() >= 3);
        int before = browser.findAll(".conversation-list li").size();

        WebElement first = browser.findAll(".conversation-list li").getFirst();
        first.findElement(By.xpath(".//button[text()='Rename']")).click();
        WebElement title = browser.find(".conversation-list form.rename input");
        title.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Biologic IND");
        title.sendKeys(Keys.ENTER);
        eventually(Duration.ofSeconds(10)).until(() -> browser.find(".conversation-list li .title").getText().equals("Biologic IND"));

        browser.findAll(".conversation-list li").getLast().findElement(By.xpath(".//button[text()='Delete']")).click();
        browser.driver.switchTo().alert().accept();
        eventually(Duration.ofSeconds(10)).until(() -> browser.findAll(".conversation-list li").size() == before - 1);

        browser.find(".conversation-list li .open").click();
        eventually(Duration.ofSeconds(10)).until(() -> browser.find("#ask-title").getText().equals("Biologic IND")
                && !browser.findAll(".chooser .expert-card").isEmpty());
        assertThat(browser.findAll(".transcript .turn.user")).isNotEmpty();
        ask("And what about the chemistry section of it?");
        awaitDone(lastAnswer());
        assertThat(browser.find(".conversation-list li .hint").getText()).contains("4 messages");
    }

    @Test
    @Order(7)
    void uploads_documents_with_progress_and_finds_them_by_search(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("zanubrutinib-stability.md");
        Files.writeString(a, "# Zanubrutinib stability\n\nThe zanubrutinib capsules stayed within specification for "
                + "thirty-six months at twenty-five degrees in the long-term stability study.");
        Path b = dir.resolve("zanubrutinib-labelling.txt");
        Files.writeString(b, "Zanubrutinib labelling notes: the storage statement follows the stability data.");
        goTo("knowledge");
        browser.find("input[type=file]").sendKeys(a + "\n" + b);
        eventually(Duration.ofSeconds(60)).until(() -> browser.find(".upload-status").getText().contains("2 indexed"));
        eventually(Duration.ofSeconds(10)).until(() -> browser.find("table.documents").getText().contains("Zanubrutinib stability"));

        WebElement query = browser.find(".search-form input[type=search]");
        query.sendKeys("zanubrutinib capsules long-term stability");
        browser.find(".search-form button[type=submit]").click();
        eventually(Duration.ofSeconds(20)).until(() -> !browser.findAll(".search-results .result").isEmpty());
        assertThat(browser.findAll(".search-results .result").getFirst().getText())
                .contains("Zanubrutinib stability").contains("score");
        browser.assertAccessible("knowledge");
        browser.screenshots("knowledge");
    }

    @Test
    @Order(8)
    void admins_import_a_yaml_catalogue_and_edit_an_expert(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("catalogue.yaml");
        Files.writeString(yaml, """
                agents:
                  - slug: web-stability-specialist
                    name: Stability Specialist
                    level: 3
                    specialty: ICH Q1 stability programmes
                    description: Designs and reads stability studies.
                    system_prompt: You are a stability specialist. Answer from the sources.
                    domains: [cmc]
                    knowledge_namespaces: [default]
                """);
        goTo("experts");
        browser.find(".page.experts input[type=file]").sendKeys(yaml.toString());
        browser.find(".page.experts form button[type=submit]").click();
        eventually(Duration.ofSeconds(20)).until(() -> browser.find(".import-status").getText().contains("1 created"));

        WebElement search = browser.find(".expert-browser input[type=search]");
        search.sendKeys("stability specialist");
        eventually(Duration.ofSeconds(10)).until(() -> {
            browser.driver.findElement(By.xpath("//div[@class='expert-option']/label[strong='Stability Specialist']")).click();
            return browser.find(".expert-card h3").getText().equals("Stability Specialist");
        });
        browser.driver.findElement(By.xpath("//section[contains(@class,'expert-card')]//button[text()='Edit']")).click();
        WebElement specialty = browser.find(".expert-editor input[name=specialty]");
        specialty.clear();
        specialty.sendKeys("ICH Q1A(R2) stability programmes");
        browser.find(".expert-editor button[type=submit]").click();
        eventually(Duration.ofSeconds(10)).until(() -> browser.find(".expert-editor [role=status]").getText().contains("Saved"));
        browser.assertAccessible("experts");
        browser.screenshots("expert-edit");
        browser.script("window.scrollTo(0, 0)");
        browser.screenshots("experts");
    }

    @Test
    @Order(9)
    void markup_in_an_answer_or_a_document_never_runs() throws Exception {
        seedMarkupExpert("Stability protocol notes. <script>window.__pwned = 'document script'</script> "
                + "<img src=x onerror=\"window.__pwned = 'document img'\"> The long-term stability study of the drug "
                + "substance runs for thirty-six months under ICH conditions. <iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>");
        MOCK.answerWith("Stability <script>window.__pwned='answer script'</script> <img src=x "
                + "onerror=\"window.__pwned='answer img'\"> [click me](javascript:window.__pwned='link') "
                + "<svg onload=\"window.__pwned='svg'\"></svg> <iframe src=\"javascript:parent.__pwned=1\"></iframe> "
                + "<a href=\"#\" onclick=\"window.__pwned='onclick'\">here</a> per the protocol [1].");
        goTo("ask");
        clickNew();
        chooseExpert("Markup Test", "Markup Test Expert");
        ask("What does the stability protocol say?");
        WebElement answer = lastAnswer();
        awaitDone(answer);

        String app = browser.driver.getWindowHandle();
        for (WebElement link : answer.findElements(By.cssSelector(".answer-text a"))) {
            link.click();
        }
        closeOtherWindows(app);
        answer.findElement(By.cssSelector("button.cite")).click();
        WebElement dialog = browser.find("dialog.passage[open]");
        assertThat(dialog.findElement(By.cssSelector(".passage-text")).getText()).contains("<script>");
        dialog.findElements(By.cssSelector(".actions button")).getFirst().click();
        eventually(Duration.ofSeconds(10)).until(() -> dialog.findElement(By.cssSelector(".document-text")).getText()
                .contains("thirty-six months"));

        assertThat(browser.script("return window.__pwned === undefined")).as("nothing from the answer or document ran").isEqualTo(true);
        assertThat(browser.script("""
                return [...document.querySelectorAll('#main script, #main iframe, #main img, #main svg, dialog script, dialog iframe')].length
                  + [...document.querySelectorAll('#main *, dialog *')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length
                  + [...document.querySelectorAll('a[href^="javascript:"]')].length""")).isEqualTo(0L);
        dialog.findElement(By.cssSelector("button.primary")).click();
    }

    @Test
    @Order(10)
    void another_tenant_signed_in_with_a_pasted_token_sees_nothing_of_the_first() {
        browser.driver.findElement(By.xpath("//button[text()='Sign out']")).click();
        eventually(Duration.ofSeconds(10)).until(() -> !browser.findAll("form.signin-form").isEmpty());
        browser.find("form.signin-form textarea").sendKeys(TestTokens.bearer("t-other", "bob").substring("Bearer ".length()));
        browser.find("form.signin-form button[type=submit]").click();
        eventually(Duration.ofSeconds(10)).until(() -> !browser.findAll(".identity").isEmpty());
        assertThat(browser.find(".identity").getText()).isEqualTo("t-other / bob");
        eventually(Duration.ofSeconds(10)).until(() -> browser.find(".conversations [role=status]").getText().contains("No conversations"));
        assertThat(browser.findAll(".conversation-list li")).isEmpty();
        assertThat(browser.findAll(".turn")).isEmpty();
        goTo("knowledge");
        eventually(Duration.ofSeconds(10)).until(() -> browser.find(".knowledge [role=status]").getText().contains("No documents"));
        assertThat(browser.find(".knowledge").getText()).doesNotContain("Zanubrutinib").contains("needs the admin role");
    }

    /** The page re-renders lists as answers arrive: an element read mid-render is read again. */
    private static ConditionFactory eventually(Duration timeout) {
        return await().atMost(timeout).ignoreExceptions();
    }

    private static String words(String stem, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> stem + i).collect(Collectors.joining(" "));
    }

    private void goTo(String view) {
        browser.driver.findElement(By.cssSelector(".nav-links a[data-view='" + view + "']")).click();
        eventually(Duration.ofSeconds(10)).until(() -> !browser.findAll("#main h1").isEmpty());
    }

    private void clickNew() {
        browser.driver.findElement(By.xpath("//div[@class='conversations-head']/button[text()='New']")).click();
    }

    private void chooseExpert(String search, String name) {
        WebElement chooser = browser.find("details.chooser");
        if (chooser.getAttribute("open") == null) {
            chooser.findElement(By.cssSelector("summary")).click();
        }
        if (!browser.find("input#ask-mode-1").isSelected()) {
            browser.find("label[for='ask-mode-1']").click();
        }
        WebElement query = browser.find(".expert-browser input[type=search]");
        query.clear();
        query.sendKeys(search);
        By option = By.xpath("//div[@class='expert-option']/label[strong='" + name + "']");
        // The results re-render when the debounced search answers: click whichever list is current.
        eventually(Duration.ofSeconds(10)).until(() -> {
            browser.driver.findElement(option).click();
            return browser.find(".chooser .expert-card h3").getText().equals(name);
        });
    }

    private void ask(String question) {
        WebElement box = browser.find(".composer textarea");
        box.sendKeys(question);
        browser.find(".composer button[type=submit]").click();
    }

    private WebElement lastAnswer() {
        eventually(Duration.ofSeconds(10)).until(() -> !browser.findAll(".turn.assistant").isEmpty());
        return browser.findAll(".turn.assistant").getLast();
    }

    private static boolean busy(WebElement answer) {
        return "true".equals(answer.getAttribute("aria-busy"));
    }

    private static String text(WebElement answer) {
        return answer.findElement(By.cssSelector(".answer-text")).getText().strip();
    }

    private static void awaitDone(WebElement answer) {
        eventually(ANSWER).until(() -> !busy(answer));
        assertThat(answer.getAttribute("data-state")).as(answer.getText()).isEqualTo("done");
    }

    private void closeOtherWindows(String app) {
        for (String handle : List.copyOf(browser.driver.getWindowHandles())) {
            if (!handle.equals(app)) {
                browser.driver.switchTo().window(handle).close();
            }
        }
        browser.driver.switchTo().window(app);
    }
}
