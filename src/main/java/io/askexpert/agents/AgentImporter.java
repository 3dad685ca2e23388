package io.askexpert.agents;

import io.askexpert.agents.AgentRecordParser.Parsed;
import io.askexpert.agents.ImportReport.FieldError;
import io.askexpert.agents.ImportReport.Outcome;
import io.askexpert.agents.ImportReport.RecordResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Upserts a batch keyed by slug. Every record is checked on its own (fields, duplicates in the
 * batch, a {@code reports_to} that exists and has a lower level), then written in its own
 * transaction, parents before children, so one bad record never stops the others.
 */
final class AgentImporter {

    private static final Logger log = LoggerFactory.getLogger(AgentImporter.class);

    private final AgentStore store;
    private final TransactionTemplate tx;

    AgentImporter(AgentStore store, TransactionTemplate tx) {
        this.store = store;
        this.tx = tx;
    }

    /** The report, and the ids of agents created or updated (for the change event). */
    record Outcomes(ImportReport report, List<String> changedIds) {
    }

    private record Pending(int index, AgentDraft draft) {
    }

    Outcomes run(@Nullable String scope, List<Parsed> records, IntConsumer progress) {
        RecordResult[] results = new RecordResult[records.size()];
        Map<String, Pending> valid = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Parsed p = records.get(i);
            if (p.draft() == null) {
                results[i] = RecordResult.failed(i, p.slug(), p.errors());
            } else if (valid.containsKey(p.slug())) {
                results[i] = RecordResult.failed(i, p.slug(), List.of(new FieldError("slug",
                        "duplicate of record " + valid.get(p.slug()).index() + " in this batch")));
            } else {
                valid.put(p.slug(), new Pending(i, p.draft()));
            }
        }
        Map<String, Optional<Agent>> stored = new HashMap<>();
        rejectBadParents(scope, valid, results, stored);

        Map<String, UUID> written = new HashMap<>();
        Map<String, List<String>> relations = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        List<Pending> order = valid.values().stream()
                .sorted(Comparator.comparingInt((Pending p) -> p.draft().level().number()).thenComparingInt(Pending::index))
                .toList();
        int done = 0;
        for (Pending p : order) {
            RecordResult r = write(scope, p, valid, written, stored, relations);
            results[p.index()] = r;
            if (r.outcome() == Outcome.CREATED || r.outcome() == Outcome.UPDATED) {
                changed.add(Objects.requireNonNull(r.id()));
            }
            progress.accept(++done);
        }
        // Collaborators are linked once every record has an id, so a batch may refer forward.
        for (var entry : relations.entrySet()) {
            UUID id = written.get(entry.getKey());
            List<UUID> others = new ArrayList<>();
            for (String slug : entry.getValue()) {
                UUID other = written.containsKey(slug) ? written.get(slug)
                        : store.findReachable(scope, slug).map(a -> UUID.fromString(a.id())).orElse(null);
                if (other != null) {
                    others.add(other);
                }
            }
            tx.executeWithoutResult(s -> {
                store.replaceRelations(id, others);
                store.bumpVersion();
            });
        }
        return new Outcomes(new ImportReport(List.of(results), store.version()), changed);
    }

    /** Drops records whose parent is missing, invisible, not lower in level, or itself rejected. */
    private void rejectBadParents(@Nullable String scope, Map<String, Pending> valid, RecordResult[] results,
                                  Map<String, Optional<Agent>> stored) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Pending p : List.copyOf(valid.values())) {
                String parent = p.draft().reportsTo();
                if (parent == null) {
                    continue;
                }
                String problem = null;
                Pending inBatch = valid.get(parent);
                int parentLevel;
                if (inBatch != null) {
                    parentLevel = inBatch.draft().level().number();
                } else {
                    Optional<Agent> existing = stored.computeIfAbsent(parent, s -> store.findReachable(scope, s));
                    boolean rejected = Arrays.stream(results).anyMatch(r -> r != null && parent.equals(r.slug()));
                    parentLevel = existing.map(a -> a.level().number()).orElse(0);
                    if (existing.isEmpty()) {
                        problem = rejected ? "parent '" + parent + "' was rejected in this batch"
                                : "no agent '" + parent + "' is visible here";
                    }
                }
                if (problem == null && parentLevel >= p.draft().level().number()) {
                    problem = "parent '" + parent + "' has level " + parentLevel
                            + "; a parent's level must be lower than " + p.draft().level().number();
                }
                if (problem != null) {
                    valid.remove(p.draft().slug());
                    results[p.index()] = RecordResult.failed(p.index(), p.draft().slug(),
                            List.of(new FieldError("reports_to", problem)));
                    changed = true;
                }
            }
        }
    }

    private RecordResult write(@Nullable String scope, Pending p, Map<String, Pending> valid,
                               Map<String, UUID> written, Map<String, Optional<Agent>> stored,
                               Map<String, List<String>> relations) {
        AgentDraft d = p.draft();
        try {
            return Objects.requireNonNull(tx.execute(status -> {
                UUID parent = d.reportsTo() == null ? null : written.containsKey(d.reportsTo())
                        ? written.get(d.reportsTo())
                        : UUID.fromString(stored.get(d.reportsTo()).orElseThrow().id());
                List<String> warnings = new ArrayList<>();
                List<String> wanted = null;
                if (d.collaboratesWith() != null) {
                    wanted = new ArrayList<>();
                    for (String slug : d.collaboratesWith()) {
                        if (slug.equals(d.slug())) {
                            continue;
                        }
                        if (valid.containsKey(slug) || store.findReachable(scope, slug).isPresent()) {
                            wanted.add(slug);
                        } else {
                            warnings.add("collaborates_with: no agent '" + slug + "' is visible here; ignored");
                        }
                    }
                }
                Optional<Agent> existing = store.findInScopeForUpdate(scope, d.slug());
                UUID id;
                Outcome outcome;
                if (existing.isEmpty()) {
                    id = UUID.randomUUID();
                    store.insert(id, scope, d, parent);
                    outcome = Outcome.CREATED;
                } else {
                    Agent current = existing.get();
                    id = UUID.fromString(current.id());
                    String childProblem = childLevelProblem(id, d, valid);
                    if (childProblem != null) {
                        status.setRollbackOnly();
                        return RecordResult.failed(p.index(), d.slug(), List.of(new FieldError("level", childProblem)));
                    }
                    outcome = sameFields(current, d) ? Outcome.UNCHANGED : Outcome.UPDATED;
                }
                boolean relationsDiffer = wanted != null && (existing.isEmpty()
                        ? !wanted.isEmpty()
                        : !new TreeSet<>(existing.get().collaboratesWith()).equals(new TreeSet<>(wanted)));
                if (outcome == Outcome.UNCHANGED && relationsDiffer) {
                    outcome = Outcome.UPDATED;
                }
                if (outcome == Outcome.UPDATED) {
                    store.update(id, d, parent);
                }
                if (outcome != Outcome.UNCHANGED) {
                    store.bumpVersion();
                }
                if (relationsDiffer) {
                    relations.put(d.slug(), wanted);
                }
                written.put(d.slug(), id);
                int version = existing.isEmpty() ? 1
                        : existing.get().version() + (outcome == Outcome.UPDATED ? 1 : 0);
                return new RecordResult(p.index(), d.slug(), outcome, id.toString(), version, List.of(), warnings);
            }));
        } catch (DataAccessException e) {
            log.warn("Agent record {} ('{}') could not be stored: {}", p.index(), d.slug(),
                    e.getMostSpecificCause().getMessage());
            return RecordResult.failed(p.index(), d.slug(), List.of(new FieldError("record", "could not be stored")));
        }
    }

    private @Nullable String childLevelProblem(UUID id, AgentDraft d, Map<String, Pending> valid) {
        for (var child : store.childLevels(id).entrySet()) {
            Pending inBatch = valid.get(child.getKey());
            int childLevel = inBatch != null ? inBatch.draft().level().number() : child.getValue();
            boolean movesAway = inBatch != null && !d.slug().equals(inBatch.draft().reportsTo());
            if (!movesAway && childLevel <= d.level().number()) {
                return "agent '" + child.getKey() + "' (level " + childLevel + ") reports to this one;"
                        + " level must stay below " + childLevel;
            }
        }
        return null;
    }

    private static boolean sameFields(Agent a, AgentDraft d) {
        return a.name().equals(d.name()) && a.displayName().equals(d.displayName()) && a.level() == d.level()
                && a.description().equals(d.description()) && a.specialty().equals(d.specialty())
                && a.domains().equals(d.domains()) && a.capabilities().equals(d.capabilities())
                && a.regions().equals(d.regions()) && a.therapeuticAreas().equals(d.therapeuticAreas())
                && a.phases().equals(d.phases()) && a.systemPrompt().equals(d.systemPrompt())
                && a.tools().equals(d.tools()) && a.knowledgeNamespaces().equals(d.knowledgeNamespaces())
                && Objects.equals(a.reportsTo(), d.reportsTo()) && Objects.equals(a.model(), d.model())
                && Objects.equals(a.temperature(), d.temperature()) && a.status() == d.status();
    }
}
