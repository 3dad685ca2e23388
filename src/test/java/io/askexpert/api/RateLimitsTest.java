package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.ratelimit.ConcurrencyLimiter;
import io.askexpert.ratelimit.InProcessConcurrencyLimiter;
import io.askexpert.ratelimit.InProcessRateLimiter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** The stream-concurrency part of the limit filter: slots are held for the life of a stream. */
class RateLimitsTest {

    final ConcurrencyLimiter slots = new InProcessConcurrencyLimiter();
    final AskExpertSettings settings = new Binder(new MapConfigurationPropertySource(Map.of(
            "ask-expert.rate-limits.mission-streams", "1"))).bindOrCreate("ask-expert", AskExpertSettings.class);
    final RateLimits filter = new RateLimits(settings, new InProcessRateLimiter(Clock.systemUTC()), slots,
            new ErrorResponses(JsonMapper.builder().build()), Clock.systemUTC());

    MockHttpServletRequest streamRequest() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/expert/mode3/stream");
        request.setAsyncSupported(true);
        request.setAttribute(TenantContext.class.getName(), new TenantContext("acme", "alice", false));
        return request;
    }

    @Test
    void an_async_stream_holds_its_slot_until_it_completes() throws Exception {
        MockHttpServletRequest first = streamRequest();
        MockHttpServletResponse firstResponse = new MockHttpServletResponse();
        filter.doFilter(first, firstResponse, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
                request.startAsync();
            }
        });
        assertThat(firstResponse.getHeader("X-RateLimit-Limit")).isEqualTo("1");
        assertThat(firstResponse.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(slots.inUse("mission_stream:acme:alice")).isEqualTo(1);

        MockHttpServletResponse refused = new MockHttpServletResponse();
        filter.doFilter(streamRequest(), refused, new MockFilterChain());
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("5");
        assertThat(refused.getContentAsString()).contains("RATE_LIMIT_EXCEEDED");

        first.getAsyncContext().complete();
        assertThat(slots.inUse("mission_stream:acme:alice")).isZero();
    }

    @Test
    void a_synchronous_answer_releases_at_once_and_other_routes_are_not_limited() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(streamRequest(), response, new MockFilterChain());
        assertThat(slots.inUse("mission_stream:acme:alice")).isZero();

        MockHttpServletRequest other = new MockHttpServletRequest("GET", "/api/v1/expert/sessions");
        other.setAttribute(TenantContext.class.getName(), new TenantContext("acme", "alice", false));
        MockHttpServletResponse otherResponse = new MockHttpServletResponse();
        filter.doFilter(other, otherResponse, new MockFilterChain());
        assertThat(otherResponse.getHeader("X-RateLimit-Limit")).isNull();
    }

    @Test
    void categories_follow_the_api_routes() {
        assertThat(RateLimits.Category.of("POST", "/api/v1/expert/mode1/stream")).hasValue(RateLimits.Category.INTERACTIVE);
        assertThat(RateLimits.Category.of("POST", "/api/v1/expert/mode2/fusion/select")).hasValue(RateLimits.Category.INTERACTIVE);
        assertThat(RateLimits.Category.of("POST", "/api/v1/expert/mode4/mission/create")).hasValue(RateLimits.Category.MISSION_CREATE);
        assertThat(RateLimits.Category.of("GET", "/api/v1/expert/mode4/mission/m1/status")).hasValue(RateLimits.Category.MISSION_STATUS);
        assertThat(RateLimits.Category.of("GET", "/api/v1/expert/mission/status/m1")).hasValue(RateLimits.Category.MISSION_STATUS);
        assertThat(RateLimits.Category.of("GET", "/api/v1/expert/agents")).hasValue(RateLimits.Category.AGENT_LIST);
        assertThat(RateLimits.Category.of("GET", "/api/v1/expert/agents/a1")).isEmpty();
        assertThat(RateLimits.Category.of("GET", "/api/v1/expert/mode1/stream")).isEmpty();
    }
}
