package io.askexpert.missions;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.runs.RunEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A mode 4 mission's team as assembled once and recorded in its journal under {@link #KEY}: every
 * later reader (the preflight, the stream's {@code team_assembly}, the executor after a takeover)
 * reads this record, so the team never changes under a mission. The first member is the lead.
 *
 * @param fusionUsed   false when {@code enable_fusion} was off or fusion failed and the catalogue's
 *                     text search chose instead
 * @param fusionEvidence fusion's evidence as the {@code team_assembly} event carries it, when fusion ran
 */
record Team(List<Member> members, @JsonProperty("assembly_time_ms") long assemblyTimeMs,
            @JsonProperty("fusion_used") boolean fusionUsed,
            @JsonProperty("fusion_evidence") RunEvent.Fusion.@Nullable Evidence fusionEvidence) {

    static final String KEY = "team";

    Team {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a team has at least its lead");
        }
    }

    /**
     * One seat.
     *
     * @param origin    {@code fusion} (seated by fusion), {@code ranking} (filled from fusion's ranking),
     *                  {@code search} (the catalogue's text search), {@code requested} ({@code include_experts})
     * @param available whether the expert resolved for the mission's tenant when the team was assembled
     *                  (a requested id that did not is kept, so that the preflight can name it)
     * @param evidence  why it is on the team: fusion's ranks, scores, graph path and synergy, or the search score
     */
    record Member(String id, String slug, String name, String role, int confidence, int level, String specialty,
                  String origin, boolean available, Map<String, @Nullable Object> evidence) {

        Member {
            Objects.requireNonNull(id, "id");
            evidence = Map.copyOf(evidence.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        }

        boolean lead() {
            return "lead".equals(role);
        }
    }

    Member lead() {
        return members.getFirst();
    }

    Optional<Member> member(String idOrSlug) {
        return members.stream().filter(m -> m.id().equals(idOrSlug) || m.slug().equals(idOrSlug)).findFirst();
    }

    /** The {@code team_assembly} event (api.md §4), each member with its evidence. */
    RunEvent.TeamAssembly event() {
        return new RunEvent.TeamAssembly(members.stream().map(m -> new RunEvent.TeamAssembly.Member(m.id(), m.name(),
                m.confidence(), m.role(), m.slug(), m.origin(), m.evidence())).toList(), assemblyTimeMs, fusionEvidence);
    }
}
