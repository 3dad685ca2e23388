package io.askexpert.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentAgentsTest {

    private static Agent agent(String slug, AgentStatus status) {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        return new Agent("id-" + slug, null, slug, "Expert " + slug, "Expert " + slug, AgentLevel.EXPERT,
                "An expert", "regulatory", List.of(), List.of(), List.of(), List.of(), List.of(),
                "You are an expert.", List.of(), List.of(), null, null, null, status, List.of(), 1, now, now);
    }

    @Test
    void an_active_agent_is_read_once_and_again_after_a_clear() {
        RecentAgents recent = new RecentAgents(() -> 1, Duration.ofHours(1));
        AtomicInteger loads = new AtomicInteger();
        Agent a = agent("fda", AgentStatus.ACTIVE);
        for (int i = 0; i < 3; i++) {
            assertThat(recent.find("t", "fda", key -> {
                loads.incrementAndGet();
                return Optional.of(a);
            })).contains(a);
        }
        assertThat(loads).hasValue(1);
        recent.clear();
        recent.find("t", "fda", key -> {
            loads.incrementAndGet();
            return Optional.of(a);
        });
        assertThat(loads).hasValue(2);
    }

    @Test
    void inactive_or_missing_agents_are_never_kept_and_tenants_do_not_share_entries() {
        RecentAgents recent = new RecentAgents(() -> 1, Duration.ofHours(1));
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThat(recent.find("t", "old", key -> {
                loads.incrementAndGet();
                return Optional.of(agent("old", AgentStatus.INACTIVE));
            })).isEmpty();
            assertThat(recent.find("t", "none", key -> {
                loads.incrementAndGet();
                return Optional.empty();
            })).isEmpty();
        }
        assertThat(loads).hasValue(4);
        recent.find("t1", "fda", key -> Optional.of(agent("fda", AgentStatus.ACTIVE)));
        assertThat(recent.find("t2", "fda", key -> Optional.empty())).isEmpty();
    }

    @Test
    void a_catalogue_version_written_elsewhere_clears_the_memory() throws Exception {
        AtomicLong version = new AtomicLong(1);
        RecentAgents recent = new RecentAgents(version::get, Duration.ZERO);
        AtomicInteger loads = new AtomicInteger();
        Agent a = agent("fda", AgentStatus.ACTIVE);
        java.util.function.Function<String, Optional<Agent>> load = key -> {
            loads.incrementAndGet();
            return Optional.of(a);
        };
        recent.find("t", "fda", load);
        // The first background check learns the version (and clears once); wait until it settled.
        Thread.sleep(200);
        int settled = loads.get();
        recent.find("t", "fda", load);
        Thread.sleep(200);
        recent.find("t", "fda", load);
        assertThat(loads.get()).isLessThanOrEqualTo(settled + 1);
        int before = loads.get();
        version.set(2);
        recent.find("t", "fda", load); // triggers the check that sees version 2
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            recent.find("t", "fda", load);
            return loads.get() > before;
        });
    }
}
