package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.agents.ScoredAgent;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.fusion.ExpertEvidence;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.fusion.FusionResult;
import io.askexpert.fusion.SelectedExpert;
import io.askexpert.runs.RunEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a mode 4 team once, when the mission is created: the experts the caller asked for
 * ({@code include_experts}), then fusion's seats (its panel, with synergy, up to
 * {@code max_team_size}), then, while seats are free, the next experts of fusion's own ranking, so
 * a broad goal gets a team of two or more whenever the catalogue has them. Without fusion
 * ({@code enable_fusion=false}, or fusion failed) the catalogue's text search ranks instead. Every
 * member carries the evidence that seated it.
 */
final class TeamAssembly {

    private static final Logger log = LoggerFactory.getLogger(TeamAssembly.class);

    private final FusionEngine fusion;
    private final AgentCatalog catalog;

    TeamAssembly(FusionEngine fusion, AgentCatalog catalog) {
        this.fusion = fusion;
        this.catalog = catalog;
    }

    Team assemble(String tenantId, Mode4Request.Valid request) {
        long start = System.nanoTime();
        int size = request.options().maxTeamSize();
        List<Team.Member> members = new ArrayList<>();
        for (String wanted : request.includeExperts()) {
            Optional<Agent> a = catalog.find(tenantId, wanted).filter(Agent::active);
            members.add(a.map(agent -> member(agent, "member", 100, "requested",
                            Map.of("reason", "named in options.include_experts")))
                    .orElseGet(() -> new Team.Member(wanted, wanted, wanted, "member", 0, 0, "", "requested", false,
                            Map.of("reason", "named in options.include_experts; not found for this tenant"))));
        }
        RunEvent.Fusion.Evidence evidence = null;
        boolean fused = false;
        if (request.options().enableFusion() && members.size() < size) {
            try {
                FusionResult r = fusion.select(new FusionRequest(request.goal(), tenantId, size, strings(request.context()),
                        null));
                fused = true;
                evidence = RunEvent.Fusion.Evidence.of(r.evidence());
                for (int i = 0; i < r.selectedExperts().size() && members.size() < size; i++) {
                    SelectedExpert s = r.selectedExperts().get(i);
                    ExpertEvidence e = i < r.expertEvidence().size() ? r.expertEvidence().get(i) : null;
                    catalog.find(tenantId, s.id()).filter(Agent::active).filter(a -> absent(members, a))
                            .ifPresent(a -> members.add(member(a, "member", s.confidence(), "fusion", fusionEvidence(s, e))));
                }
                int rank = 0;
                for (String id : r.ranking()) {
                    rank++;
                    if (members.size() >= size) {
                        break;
                    }
                    int confidence = Math.max(1, lowest(members) - 5 * rank);
                    int at = rank;
                    catalog.find(tenantId, id).filter(Agent::active).filter(a -> absent(members, a))
                            .ifPresent(a -> members.add(member(a, "member", confidence, "ranking", Map.of(
                                    "reason", "ranked #" + at + " by fusion for the goal; seated to fill the team "
                                            + "(below the panel's confidence bar)", "fusion_rank", at))));
                }
            } catch (AskExpertException | IllegalArgumentException e) {
                log.info("Team assembly: fusion did not answer ({}); ranking by the catalogue's text search", e.getMessage());
            }
        }
        if (members.size() < size) {
            for (ScoredAgent hit : catalog.search(tenantId, request.goal(), size * 3)) {
                if (members.size() >= size) {
                    break;
                }
                catalog.find(tenantId, hit.id()).filter(Agent::active).filter(a -> absent(members, a))
                        .ifPresent(a -> members.add(member(a, "member", (int) Math.max(1, Math.min(100, hit.score() * 100)),
                                "search", Map.of("reason", "matched the goal in the catalogue's text search",
                                        "search_score", Math.round(hit.score() * 1e4) / 1e4))));
            }
        }
        if (members.stream().noneMatch(Team.Member::available)) {
            throw new AskExpertException(ErrorCode.AGENT_NOT_FOUND, "no active expert of the catalogue fits this goal; "
                    + "name experts in options.include_experts or add experts to the catalogue", Map.of("field", "goal"));
        }
        // The lead is the best available member: the first of fusion's seats, else the first requested one.
        int leadAt = 0;
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).available() && !"requested".equals(members.get(i).origin())) {
                leadAt = i;
                break;
            }
            if (members.get(i).available() && !members.get(leadAt).available()) {
                leadAt = i;
            }
        }
        Team.Member lead = members.remove(leadAt);
        members.addFirst(new Team.Member(lead.id(), lead.slug(), lead.name(), "lead", lead.confidence(), lead.level(),
                lead.specialty(), lead.origin(), true, lead.evidence()));
        return new Team(members, (System.nanoTime() - start) / 1_000_000, fused, evidence);
    }

    private static boolean absent(List<Team.Member> members, Agent a) {
        return members.stream().noneMatch(m -> m.id().equals(a.id()) || m.slug().equals(a.slug()));
    }

    private static int lowest(List<Team.Member> members) {
        return members.stream().filter(Team.Member::available).mapToInt(Team.Member::confidence).min().orElse(50);
    }

    private static Team.Member member(Agent a, String role, int confidence, String origin,
                                      Map<String, @Nullable Object> evidence) {
        return new Team.Member(a.id(), a.slug(), a.name(), role, Math.max(0, Math.min(100, confidence)),
                a.level().number(), a.specialty(), origin, true, evidence);
    }

    private static Map<String, @Nullable Object> fusionEvidence(SelectedExpert s, @Nullable ExpertEvidence e) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        out.put("reason", s.reason());
        out.put("fusion_role", s.role());
        if (e != null) {
            out.put("fused_score", Math.round(e.fusedScore() * 1e6) / 1e6);
            out.put("ranks", e.ranks());
            out.put("scores", e.scores());
            out.put("graph_path", e.graphPath());
            out.put("synergy_boost", e.synergyBoost());
        }
        return out;
    }

    private static Map<String, String> strings(Map<String, @Nullable Object> context) {
        Map<String, String> out = new LinkedHashMap<>();
        context.forEach((k, v) -> {
            if (v instanceof String s && !s.isBlank()) {
                out.put(k, s);
            }
        });
        return out;
    }
}
