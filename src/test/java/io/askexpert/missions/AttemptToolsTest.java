package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.agents.Agent;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The external tool lookup happens once per expert and attempt; a new attempt looks again. */
class AttemptToolsTest {

    private final Agent lead = MissionFixtures.agent("lead");
    private final Agent member = MissionFixtures.agent("member");

    @Test
    void one_lookup_per_expert_for_the_whole_attempt_and_a_new_attempt_looks_again() {
        AtomicInteger lookups = new AtomicInteger();
        MissionFixtures.FakeTools first = new MissionFixtures.FakeTools();
        AttemptTools attempt = new AttemptTools();
        for (int step = 0; step < 3; step++) {
            assertThat(attempt.of(lead, () -> {
                lookups.incrementAndGet();
                return first;
            })).isSameAs(first);
        }
        assertThat(lookups).hasValue(1);
        MissionFixtures.FakeTools other = new MissionFixtures.FakeTools();
        assertThat(attempt.of(member, () -> {
            lookups.incrementAndGet();
            return other;
        })).as("another expert has its own lookup").isSameAs(other);
        assertThat(lookups).hasValue(2);

        MissionFixtures.FakeTools changed = new MissionFixtures.FakeTools();
        assertThat(new AttemptTools().of(lead, () -> changed)).as("the next attempt sees the change").isSameAs(changed);
    }

    @Test
    void a_failed_lookup_is_not_kept() {
        AttemptTools attempt = new AttemptTools();
        assertThatThrownBy(() -> attempt.of(lead, () -> {
            throw new IllegalStateException("database unavailable");
        })).isInstanceOf(IllegalStateException.class);
        MissionFixtures.FakeTools tools = new MissionFixtures.FakeTools();
        assertThat(attempt.of(lead, () -> tools)).isSameAs(tools);
    }

    @Test
    void a_members_context_shares_the_attempts_lookups() {
        Mission mission = MissionFixtures.mission("Summarise the SUSAR timelines", 3, false, java.util.Set.of());
        MissionContext ctx = new MissionContext(new InMemoryMissionRun(mission), mission, lead, false, new SourceBook());
        MissionContext own = new MissionContext(ctx.run(), ctx.mission(), lead, false, new SourceBook(), ctx.tools());
        assertThat(own.tools()).isSameAs(ctx.tools());
        assertThat(new MissionContext(ctx.run(), ctx.mission(), lead, false, new SourceBook()).tools())
                .isNotSameAs(ctx.tools());
    }
}
