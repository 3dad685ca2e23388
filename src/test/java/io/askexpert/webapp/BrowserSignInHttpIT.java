package io.askexpert.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.auth.TenantMemberships;
import io.askexpert.testsupport.TestTokens;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The web app's sign-in and what it added to the API, over plain HTTP: the one-time link, the
 * HttpOnly cookie, the CSRF token on unsafe methods, Bearer tokens exactly as before, the
 * document a citation opens, and the YAML catalogue import. Shares the browser tests' service.
 */
class BrowserSignInHttpIT extends WebAppFixture {

    @Autowired TenantMemberships memberships;

    @Test
    void the_app_and_its_libraries_are_served_at_the_root_under_a_strict_policy() throws Exception {
        HttpResponse<String> page = send("GET", "/", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"/app/main.js\">");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("script-src 'self'").doesNotContain("unsafe-inline"));
        for (String module : List.of("/app/main.js", "/webjars/marked/lib/marked.esm.js", "/webjars/dompurify/dist/purify.es.mjs")) {
            HttpResponse<String> js = send("GET", module, null, null);
            assertThat(js.statusCode()).as(module).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type")).as(module).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        }
    }

    @Test
    void a_link_signs_in_once_into_an_http_only_cookie_and_never_returns_the_token() throws Exception {
        String code = signInLink(TENANT, "carol", false).substring((baseUrl() + "/#signin=").length());
        HttpResponse<String> signedIn = send("POST", "/auth/signin", null, "{\"code\":\"" + code + "\"}");
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(signedIn.body());
        assertThat(body.get("tenant_id").asString()).isEqualTo(TENANT);
        assertThat(body.get("user_id").asString()).isEqualTo("carol");
        assertThat(body.get("admin").asBoolean()).isFalse();
        assertThat(body.get("csrf_token").asString()).isNotBlank();
        String cookie = sessionCookie(signedIn);
        assertThat(signedIn.body()).doesNotContain(cookie.substring(cookie.indexOf('=') + 1));
        assertThat(signedIn.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("ask_expert_session="))
                .singleElement().satisfies(c -> assertThat(c).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/"));

        HttpResponse<String> again = send("POST", "/auth/signin", null, "{\"code\":\"" + code + "\"}");
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(again.body()).at("/error/message").asString()).contains("already used");

        HttpResponse<String> session = send("GET", "/auth/session", null, null, "Cookie", cookie);
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(session.body()).get("csrf_token").asString()).isEqualTo(body.get("csrf_token").asString());
        assertThat(send("GET", "/auth/session", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void the_cookie_reads_freely_but_writes_only_with_the_csrf_token() throws Exception {
        HttpResponse<String> signedIn = send("POST", "/auth/signin", null,
                "{\"code\":\"" + signInLink(TENANT, "dave", false).substring((baseUrl() + "/#signin=").length()) + "\"}");
        String cookie = sessionCookie(signedIn);
        String csrf = JSON.readTree(signedIn.body()).get("csrf_token").asString();

        assertThat(send("GET", "/api/v1/expert/sessions", null, null, "Cookie", cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> noCsrf = send("PATCH", "/api/v1/expert/sessions/nope", null, "{\"title\":\"x\"}",
                "Cookie", cookie, "Content-Type", "application/json");
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(noCsrf.body()).at("/error/code").asString()).isEqualTo("FORBIDDEN");
        assertThat(JSON.readTree(noCsrf.body()).at("/error/details/field").asString()).isEqualTo("X-CSRF-Token");

        HttpResponse<String> withCsrf = send("PATCH", "/api/v1/expert/sessions/nope", null, "{\"title\":\"x\"}",
                "Cookie", cookie, "Content-Type", "application/json", "X-CSRF-Token", csrf);
        assertThat(withCsrf.statusCode()).as(withCsrf.body()).isEqualTo(404);
        assertThat(JSON.readTree(withCsrf.body()).at("/error/code").asString()).isEqualTo("SESSION_NOT_FOUND");

        HttpResponse<String> otherCsrf = send("PATCH", "/api/v1/expert/sessions/nope", null, "{\"title\":\"x\"}",
                "Cookie", cookie, "Content-Type", "application/json", "X-CSRF-Token", csrf + "x");
        assertThat(otherCsrf.statusCode()).isEqualTo(403);

        HttpResponse<String> signedOut = send("POST", "/auth/signout", null, null, "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(signedOut.statusCode()).isEqualTo(204);
        assertThat(signedOut.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("ask_expert_session=;").contains("Max-Age=0"));
    }

    @Test
    void bearer_tokens_work_as_before_and_win_over_a_cookie() throws Exception {
        HttpResponse<String> signedIn = send("POST", "/auth/signin", null,
                "{\"code\":\"" + signInLink(TENANT, "erin", false).substring((baseUrl() + "/#signin=").length()) + "\"}");
        String cookie = sessionCookie(signedIn);
        HttpResponse<String> bearer = send("POST", "/api/v1/expert/knowledge/search", TestTokens.bearer("t-bearer", "frank"),
                "{\"query\":\"IND content\"}", "Cookie", cookie, "Content-Type", "application/json");
        assertThat(bearer.statusCode()).as("no CSRF needed with a Bearer token").isEqualTo(200);
        assertThat(send("GET", "/api/v1/expert/sessions", "Bearer not-a-token", null, "Cookie", cookie).statusCode())
                .as("a bad Bearer token is not rescued by the cookie").isEqualTo(401);
        assertThat(send("GET", "/api/v1/expert/sessions", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_pasted_token_follows_the_api_tenant_rules() throws Exception {
        String token = TestTokens.bearer(TENANT, "gina").substring("Bearer ".length());
        HttpResponse<String> mismatch = send("POST", "/auth/signin", null,
                JSON.writeValueAsString(Map.of("token", token, "tenant", "someone-else")));
        assertThat(mismatch.statusCode()).isEqualTo(403);
        assertThat(mismatch.headers().allValues("Set-Cookie")).isEmpty();

        String noTenant = TestTokens.bearer(TestTokens.SECRET, "", "hank", false).substring("Bearer ".length());
        HttpResponse<String> withoutTenant = send("POST", "/auth/signin", null, JSON.writeValueAsString(Map.of("token", noTenant)));
        assertThat(withoutTenant.statusCode()).isEqualTo(403);

        // Naming a tenant works only where the service knows the user as a member (api.md §1).
        HttpResponse<String> unknownMember = send("POST", "/auth/signin", null,
                JSON.writeValueAsString(Map.of("token", noTenant, "tenant", "t-named")));
        assertThat(unknownMember.statusCode()).as(unknownMember.body()).isEqualTo(403);
        memberships.put("t-named", "hank", TenantMemberships.Role.MEMBER);
        HttpResponse<String> named = send("POST", "/auth/signin", null,
                JSON.writeValueAsString(Map.of("token", noTenant, "tenant", "t-named")));
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertThat(JSON.readTree(named.body()).get("tenant_id").asString()).isEqualTo("t-named");
        String cookies = sessionCookie(named) + "; " + cookie(named, "ask_expert_tenant");
        assertThat(send("GET", "/api/v1/expert/sessions", null, null, "Cookie", cookies).statusCode()).isEqualTo(200);

        assertThat(send("POST", "/auth/signin", null, "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void a_document_opens_with_its_passages_for_its_tenant_only() throws Exception {
        String admin = TestTokens.admin("t-docs", "ivan");
        HttpResponse<String> ingested = send("POST", "/api/v1/expert/knowledge/documents", admin, JSON.writeValueAsString(
                Map.of("documents", List.of(Map.of("external_id", "doc-open", "title", "Dissolution method",
                        "content", "The dissolution method uses apparatus two at fifty rotations per minute.",
                        "namespace", "docs-open")))));
        assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(201);
        String id = JSON.readTree(ingested.body()).at("/documents/0/document_id").asString();

        HttpResponse<String> own = send("GET", "/api/v1/expert/knowledge/documents/" + id, TestTokens.bearer("t-docs", "judy"), null);
        assertThat(own.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(own.body());
        assertThat(doc.get("title").asString()).isEqualTo("Dissolution method");
        assertThat(doc.at("/chunks/0/text").asString()).contains("apparatus two");
        assertThat(doc.at("/chunks/0/chunk_id").asString()).isNotBlank();

        HttpResponse<String> other = send("GET", "/api/v1/expert/knowledge/documents/" + id, TestTokens.bearer("t-else", "kim"), null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(other.body()).at("/error/code").asString()).isEqualTo("DOCUMENT_NOT_FOUND");
        assertThat(send("GET", "/api/v1/expert/knowledge/documents/not-a-uuid", admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void admins_import_a_yaml_catalogue() throws Exception {
        String yaml = """
                agents:
                  - slug: yaml-imported-expert
                    name: YAML Imported Expert
                    level: 3
                    specialty: Imported from YAML
                    system_prompt: Answer from the sources.
                """;
        HttpResponse<String> imported = send("POST", "/api/v1/expert/agents", TestTokens.admin("t-yaml", "lee"), yaml,
                "Content-Type", "application/yaml");
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(JSON.readTree(imported.body()).at("/summary/created").asInt()).isEqualTo(1);

        assertThat(send("POST", "/api/v1/expert/agents", TestTokens.bearer("t-yaml", "mo"), yaml,
                "Content-Type", "application/yaml").statusCode()).isEqualTo(403);
        HttpResponse<String> broken = send("POST", "/api/v1/expert/agents", TestTokens.admin("t-yaml", "lee"),
                "agents: [unclosed", "Content-Type", "application/yaml");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(broken.body()).at("/error/details/field").asString()).isEqualTo("body");
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return cookie(response, "ask_expert_session");
    }

    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().map()));
    }
}
