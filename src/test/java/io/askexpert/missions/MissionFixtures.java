package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentLevel;
import io.askexpert.agents.AgentStatus;
import io.askexpert.knowledge.Source;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolOutput;
import io.askexpert.tools.ToolResult;
import io.askexpert.tools.ToolSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Missions, experts, passages and a tool box for the executor's unit tests. */
final class MissionFixtures {

    private MissionFixtures() {
    }

    static Mission mission(String goal, int maxSteps, boolean requireCheckpoints, Set<CheckpointType> types) {
        Instant now = Instant.parse("2026-12-07T06:00:00Z");
        return new Mission(UUID.fromString("00000000-0000-0000-0000-0000000000aa"), "tenant-a", "user-1",
                MissionMode.MODE3, MissionStatus.RUNNING, goal, null, "lead", new MissionOptions(maxSteps,
                new BigDecimal("5.00"), requireCheckpoints, types, false, 4, MissionOptions.Priority.NORMAL, false,
                Duration.ofMinutes(10)), Map.of(), "run-1", 1, now, now);
    }

    static Agent agent(String slug) {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        return new Agent("id-" + slug, null, slug, "Expert " + slug, "Expert " + slug, AgentLevel.EXPERT,
                "An expert", "pharmacovigilance", List.of(), List.of(), List.of(), List.of(), List.of(),
                "You are a careful pharmacovigilance expert.", List.of(), List.of(), null, null, null,
                AgentStatus.ACTIVE, List.of(), 1, now, now);
    }

    static ExpertDirectory directory(Agent... agents) {
        return new ExpertDirectory() {
            @Override
            public Optional<Agent> find(String tenantId, String idOrSlug) {
                for (Agent a : agents) {
                    if (a.slug().equals(idOrSlug) || a.id().equals(idOrSlug)) {
                        return Optional.of(a);
                    }
                }
                return Optional.empty();
            }

            @Override
            public List<Agent> closest(String tenantId, String text, int limit) {
                return List.of(agents);
            }
        };
    }

    static Source passage(String documentId, String chunkId, int index, String title, String excerpt) {
        return new Source(chunkId, index, "regulations", title, excerpt, "https://example.org/" + documentId, 0.8,
                documentId, chunkId, Map.of());
    }

    static ToolSpec spec(String name, boolean sideEffects, boolean external) {
        return new ToolSpec(name, "The " + name + " tool", Map.of("type", "object", "properties", Map.of()),
                Duration.ofSeconds(5), new BigDecimal("0.001"), sideEffects, external);
    }

    /** Tools answered by functions; every call is remembered. */
    static final class FakeTools implements MissionTools {
        final Map<String, ToolSpec> specs = new LinkedHashMap<>();
        final Map<String, Function<ToolInvocation, ToolResult>> answers = new LinkedHashMap<>();
        final List<ToolInvocation> calls = new ArrayList<>();

        final Map<String, BigDecimal> bounds = new LinkedHashMap<>();

        FakeTools with(ToolSpec spec, Function<ToolInvocation, ToolResult> answer) {
            specs.put(spec.name(), spec);
            answers.put(spec.name(), answer);
            return this;
        }

        /** A tool whose calls may cost up to {@code maxUsd} (rather than its spec's price). */
        FakeTools bounded(String name, BigDecimal maxUsd) {
            bounds.put(name, maxUsd);
            return this;
        }

        @Override
        public BigDecimal costBound(String name, ToolInvocation invocation) {
            BigDecimal bound = bounds.get(name);
            return bound != null ? bound : MissionTools.super.costBound(name, invocation);
        }

        /** knowledge_search answering every query with the same passages. */
        FakeTools searching(List<Source> passages) {
            return with(MissionFixtures.spec("knowledge_search", false, false), inv -> new ToolResult.Succeeded("knowledge_search",
                    new ToolOutput(Map.of("passages", passages.size()), passages), 3));
        }

        @Override
        public List<ToolSpec> specs() {
            return List.copyOf(specs.values());
        }

        @Override
        public Optional<ToolSpec> spec(String name) {
            return Optional.ofNullable(specs.get(name));
        }

        @Override
        public ToolResult execute(String name, ToolInvocation invocation) {
            calls.add(invocation);
            Function<ToolInvocation, ToolResult> answer = answers.get(name);
            return answer == null ? new ToolResult.Failed(name, io.askexpert.tools.ToolFailure.UNKNOWN_TOOL, "no such tool", 0)
                    : answer.apply(invocation);
        }
    }

    /** Saves artifacts into a list. */
    static final class ListArtifacts implements ArtifactWriter {
        final List<String> contents = new ArrayList<>();

        @Override
        public MissionArtifact save(UUID missionId, String key, String type, String title, String format,
                                    String content) {
            contents.add(content);
            UUID id = UUID.nameUUIDFromBytes((missionId + "/" + contents.size()).getBytes());
            return new MissionArtifact(id, type, title, format, content.substring(0, Math.min(200, content.length())),
                    "/api/v1/expert/missions/" + missionId + "/artifacts/" + id);
        }
    }
}
