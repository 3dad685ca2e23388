package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP edge over real HTTP: authentication matrix, error envelope, request ids. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiHttpIT {

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

    /** Routes that exist only in this test, to exercise the edge without depending on features. */
    @TestConfiguration
    static class Routes {
        @Bean
        Probe probe() {
            return new Probe();
        }
    }

    record Body(@NotBlank @Size(min = 5) String query, @Min(1) @Max(8192) Integer maxTokens) {
    }

    @RestController
    static class Probe {
        @GetMapping("/api/v1/expert/test-probe/whoami")
        Map<String, Object> whoami(TenantContext tenant) {
            return Map.of("tenant_id", tenant.tenantId(), "user_id", tenant.userId(), "admin", tenant.admin());
        }

        @PostMapping("/api/v1/expert/test-probe/echo")
        Map<String, Object> echo(TenantContext tenant, @Valid @RequestBody Body body) {
            return Map.of("query", body.query());
        }

        @GetMapping("/api/v1/expert/test-probe/page")
        Map<String, Object> page(TenantContext tenant, @RequestParam int limit) {
            return Map.of("limit", limit);
        }

        @GetMapping("/api/v1/expert/test-probe/session")
        Map<String, Object> session(TenantContext tenant) {
            throw AskExpertException.notFound(ErrorCode.SESSION_NOT_FOUND, "session", "s-1");
        }

        @GetMapping("/api/v1/expert/test-probe/boom")
        Map<String, Object> boom(TenantContext tenant) {
            throw new IllegalStateException("internal detail that must not leak");
        }
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode error(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("request_id").asString())
                .isEqualTo(response.headers().firstValue("X-Request-ID").orElseThrow());
        return error;
    }

    static String forged(String header, String claims, String key) throws Exception {
        var enc = Base64.getUrlEncoder().withoutPadding();
        String input = enc.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + enc.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        if (key == null) {
            return "Bearer " + input + ".";
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "Bearer " + input + "." + enc.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    static final String WHOAMI = "/api/v1/expert/test-probe/whoami";

    @Test
    void valid_token_resolves_the_tenant_context() throws Exception {
        var response = send("GET", WHOAMI, null, "Authorization", TestTokens.admin("acme", "alice"), "X-Tenant-ID", "acme");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("tenant_id").asString()).isEqualTo("acme");
        assertThat(body.path("user_id").asString()).isEqualTo("alice");
        assertThat(body.path("admin").asBoolean()).isTrue();
        assertThat(response.headers().firstValue("X-Request-ID")).isPresent();
    }

    @Test
    void authentication_matrix() throws Exception {
        long future = System.currentTimeMillis() / 1000 + 600;
        String claims = "{\"sub\":\"u1\",\"aud\":\"authenticated\",\"exp\":" + future + ",\"tenant_id\":\"t1\"}";
        error(send("GET", WHOAMI, null), 401, "UNAUTHORIZED");
        var expired = send("GET", WHOAMI, null, "Authorization",
                TestTokens.bearer(TestTokens.SECRET, "t1", "u1", false, Duration.ofHours(-2)));
        assertThat(error(expired, 401, "UNAUTHORIZED").path("message").asString()).contains("expired");
        assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        error(send("GET", WHOAMI, null, "Authorization",
                TestTokens.bearer("some-other-secret-that-is-long-enough-0123", "t1", "u1", false)), 401, "UNAUTHORIZED");
        error(send("GET", WHOAMI, null, "Authorization", forged("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims, null)),
                401, "UNAUTHORIZED");
        error(send("GET", WHOAMI, null, "Authorization", forged("{\"alg\":\"HS256\"}",
                claims.replace("\"authenticated\"", "\"anon\""), TestTokens.SECRET)), 401, "UNAUTHORIZED");
        error(send("GET", WHOAMI, null, "Authorization", "Bearer garbage"), 401, "UNAUTHORIZED");
        var mismatch = error(send("GET", WHOAMI, null, "Authorization", TestTokens.bearer("t1", "u1"),
                "X-Tenant-ID", "t2"), 403, "FORBIDDEN");
        assertThat(mismatch.path("details").path("field").asString()).isEqualTo("X-Tenant-ID");
        // A token without a tenant names one by header only as a known member (HardeningHttpIT covers those).
        error(send("GET", WHOAMI, null, "Authorization", TestTokens.bearer(TestTokens.SECRET, "", "u1", false),
                "X-Tenant-ID", "t3"), 403, "FORBIDDEN");
    }

    @Test
    void public_routes_need_no_token_and_unknown_api_routes_need_one() throws Exception {
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
        error(send("GET", "/api/v1/expert/no-such-route", null), 401, "UNAUTHORIZED");
        var unknown = error(send("GET", "/api/v1/expert/no-such-route", null,
                "Authorization", TestTokens.bearer("t1", "u1")), 404, "NOT_FOUND");
        assertThat(unknown.path("details").path("path").asString()).isEqualTo("/api/v1/expert/no-such-route");
        error(send("GET", "/no-such-root-route", null), 404, "NOT_FOUND");
    }

    @Test
    void request_id_is_echoed_or_generated() throws Exception {
        var echoed = send("GET", WHOAMI, null, "X-Request-ID", "client-123");
        assertThat(echoed.headers().firstValue("X-Request-ID")).hasValue("client-123");
        assertThat(error(echoed, 401, "UNAUTHORIZED").path("request_id").asString()).isEqualTo("client-123");
        var generated = send("GET", "/health", null, "X-Request-ID", "bad value with spaces");
        assertThat(generated.headers().firstValue("X-Request-ID")).hasValueSatisfying(v -> assertThat(v).startsWith("req-"));
    }

    @Test
    void validation_errors_name_the_field() throws Exception {
        String auth = TestTokens.bearer("t1", "u1");
        String echo = "/api/v1/expert/test-probe/echo";
        var shortQuery = error(send("POST", echo, "{\"query\":\"hey\"}", "Authorization", auth), 400, "VALIDATION_ERROR");
        assertThat(shortQuery.path("details").path("field").asString()).isEqualTo("query");
        var range = error(send("POST", echo, "{\"query\":\"hello there\",\"maxTokens\":0}", "Authorization", auth),
                400, "VALIDATION_ERROR");
        assertThat(range.path("details").path("field").asString()).isEqualTo("max_tokens");
        var wrongType = error(send("POST", echo, "{\"query\":\"hello there\",\"maxTokens\":\"many\"}",
                "Authorization", auth), 400, "VALIDATION_ERROR");
        assertThat(wrongType.path("details").path("field").asString()).isEqualTo("maxTokens");
        var malformed = error(send("POST", echo, "{\"query\": ", "Authorization", auth), 400, "VALIDATION_ERROR");
        assertThat(malformed.path("message").asString()).contains("malformed JSON");
        error(send("POST", echo, null, "Authorization", auth), 400, "VALIDATION_ERROR");
        var missing = error(send("GET", "/api/v1/expert/test-probe/page", null, "Authorization", auth),
                400, "VALIDATION_ERROR");
        assertThat(missing.path("details").path("field").asString()).isEqualTo("limit");
        var mismatch = error(send("GET", "/api/v1/expert/test-probe/page?limit=ten", null, "Authorization", auth),
                400, "VALIDATION_ERROR");
        assertThat(mismatch.path("details").path("field").asString()).isEqualTo("limit");
        // Unknown fields are ignored (api.md §1).
        assertThat(send("POST", echo, "{\"query\":\"hello there\",\"extra\":1}", "Authorization", auth).statusCode())
                .isEqualTo(200);
    }

    @Test
    void method_media_type_size_and_domain_errors() throws Exception {
        String auth = TestTokens.bearer("t1", "u1");
        var notAllowed = send("DELETE", WHOAMI, null, "Authorization", auth);
        error(notAllowed, 405, "METHOD_NOT_ALLOWED");
        assertThat(notAllowed.headers().firstValue("Allow")).hasValueSatisfying(v -> assertThat(v).contains("GET"));
        var textPlain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/expert/test-probe/echo"))
                .header("Authorization", auth).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        error(textPlain, 415, "UNSUPPORTED_MEDIA_TYPE");
        String big = "{\"query\":\"" + "x".repeat((1 << 20) + 10) + "\"}";
        error(send("POST", "/api/v1/expert/test-probe/echo", big, "Authorization", auth), 413, "PAYLOAD_TOO_LARGE");
        var chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/expert/test-probe/echo"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        big.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
        error(chunked, 413, "PAYLOAD_TOO_LARGE");
        var notFound = error(send("GET", "/api/v1/expert/test-probe/session", null, "Authorization", auth),
                404, "SESSION_NOT_FOUND");
        assertThat(notFound.path("details").path("id").asString()).isEqualTo("s-1");
        var boom = error(send("GET", "/api/v1/expert/test-probe/boom", null, "Authorization", auth), 500, "INTERNAL_ERROR");
        assertThat(boom.toString()).doesNotContain("internal detail").doesNotContain("IllegalStateException");
    }
}
