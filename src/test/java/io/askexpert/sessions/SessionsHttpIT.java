package io.askexpert.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sessions over real HTTP (api.md §5.3): listing, messages with citations and cost, rename, delete, isolation. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SessionsHttpIT {

    static final TestPostgres DB = TestPostgres.create();
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @LocalServerPort int port;
    @Autowired SessionStore sessions;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> call(String method, String tenant, String user, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/expert" + path))
                .header("Authorization", TestTokens.bearer(tenant, user)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private Session conversation(String tenant, String user) {
        Session s = sessions.open(tenant, user, null, Mode.MODE1, "fda-regulatory", "What does a 510(k) submission need to show?");
        sessions.append(tenant, user, s.sessionId(), NewMessage.user("What does a 510(k) submission need to show?", "run_1"));
        sessions.append(tenant, user, s.sessionId(), new NewMessage("assistant", "Substantial equivalence [1].",
                List.of(Map.of("index", 1, "title", "510(k) primer")), "run_1", "claude-test",
                new Message.TokenCounts(100, 20, 0, 0), new BigDecimal("0.000600")));
        return s;
    }

    @Test
    void lists_and_shows_the_callers_sessions_with_messages_citations_and_cost() throws Exception {
        Session s = conversation("t-list", "u1");
        JsonNode list = json.readTree(call("GET", "t-list", "u1", "/sessions?limit=10", null).body());
        assertThat(list.get("total").asLong()).isEqualTo(1);
        JsonNode row = list.get("sessions").get(0);
        assertThat(row.get("session_id").asString()).isEqualTo(s.sessionId());
        assertThat(row.get("title").asString()).isEqualTo("What does a 510(k) submission need to show?");
        assertThat(row.get("agent_id").asString()).isEqualTo("fda-regulatory");
        assertThat(row.get("message_count").asInt()).isEqualTo(2);
        assertThat(row.get("total_cost_usd").decimalValue()).isEqualByComparingTo("0.0006");
        assertThat(row.has("created_at") && row.has("updated_at") && row.has("mode")).isTrue();

        JsonNode detail = json.readTree(call("GET", "t-list", "u1", "/sessions/" + s.sessionId(), null).body());
        JsonNode messages = detail.get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
        assertThat(messages.get(1).get("citations").get(0).get("title").asString()).isEqualTo("510(k) primer");
        assertThat(messages.get(1).get("cost").decimalValue()).isEqualByComparingTo("0.0006");
        assertThat(messages.get(1).get("message_id").asString()).startsWith("msg_");
    }

    @Test
    void another_tenant_or_user_gets_404_never_the_data() throws Exception {
        Session s = conversation("t-iso-a", "u1");
        for (String[] who : new String[][] {{"t-iso-b", "u1"}, {"t-iso-a", "u2"}}) {
            HttpResponse<String> get = call("GET", who[0], who[1], "/sessions/" + s.sessionId(), null);
            assertThat(get.statusCode()).isEqualTo(404);
            assertThat(get.body()).contains("SESSION_NOT_FOUND").doesNotContain("510(k)");
            assertThat(call("DELETE", who[0], who[1], "/sessions/" + s.sessionId(), null).statusCode()).isEqualTo(404);
            assertThat(call("PATCH", who[0], who[1], "/sessions/" + s.sessionId(), "{\"title\":\"mine\"}").statusCode())
                    .isEqualTo(404);
            assertThat(json.readTree(call("GET", who[0], who[1], "/sessions", null).body()).get("total").asLong()).isZero();
        }
    }

    @Test
    void a_client_chosen_session_id_is_scoped_to_its_tenant_and_user() throws Exception {
        Session mine = sessions.open("t-scope-a", "u1", "conv-shared", Mode.MODE1, null, "What does a 510(k) need?");
        sessions.append("t-scope-a", "u1", mine.sessionId(), NewMessage.user("What does a 510(k) need?", "run_1"));
        // The same id elsewhere is a conversation of its own: it neither fails (which would tell
        // that the id is taken) nor reaches the first one.
        for (String[] who : new String[][] {{"t-scope-b", "u1"}, {"t-scope-a", "u2"}}) {
            Session theirs = sessions.open(who[0], who[1], "conv-shared", Mode.MODE1, null, "Another question entirely");
            assertThat(theirs.sessionId()).isEqualTo("conv-shared");
            assertThat(theirs.messageCount()).isZero();
            assertThat(theirs.title()).isEqualTo("Another question entirely");
            JsonNode detail = json.readTree(call("GET", who[0], who[1], "/sessions/conv-shared", null).body());
            assertThat(detail.get("messages")).isEmpty();
        }
        assertThat(sessions.messages("t-scope-a", "u1", "conv-shared")).hasSize(1);
        assertThat(call("DELETE", "t-scope-b", "u1", "/sessions/conv-shared", null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "t-scope-a", "u1", "/sessions/conv-shared", null).statusCode()).isEqualTo(200);
    }

    @Test
    void rename_and_delete() throws Exception {
        Session s = conversation("t-edit", "u1");
        HttpResponse<String> renamed = call("PATCH", "t-edit", "u1", "/sessions/" + s.sessionId(), "{\"title\":\"  510(k)   basics \"}");
        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(json.readTree(renamed.body()).get("title").asString()).isEqualTo("510(k) basics");
        HttpResponse<String> empty = call("PATCH", "t-edit", "u1", "/sessions/" + s.sessionId(), "{\"title\":\"\"}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("\"field\":\"title\"");
        assertThat(call("DELETE", "t-edit", "u1", "/sessions/" + s.sessionId(), null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "t-edit", "u1", "/sessions/" + s.sessionId(), null).statusCode()).isEqualTo(404);
        assertThat(sessions.messages("t-edit", "u1", s.sessionId())).isEmpty();
    }

    @Test
    void paging_parameters_are_validated() throws Exception {
        HttpResponse<String> bad = call("GET", "t-page", "u1", "/sessions?limit=0", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"limit\"");
        assertThat(call("GET", "t-page", "u1", "/sessions?offset=-1", null).body()).contains("\"field\":\"offset\"");
    }

    @Test
    void a_client_chosen_session_id_is_kept_and_a_bad_one_is_refused() {
        Session s = sessions.open("t-ids", "u1", "conv-42", Mode.MODE1, null, "First question here");
        assertThat(s.sessionId()).isEqualTo("conv-42");
        assertThat(sessions.open("t-ids", "u1", "conv-42", Mode.MODE1, null, "Second question").title()).isEqualTo("First question here");
        assertThatThrownBy(() -> sessions.open("t-ids", "u1", "bad id with spaces", Mode.MODE1, null, "Question"))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "session_id"));
    }
}
