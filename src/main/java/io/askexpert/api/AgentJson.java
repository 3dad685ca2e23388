package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.agents.Agent;
import io.askexpert.agents.ImportReport;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Wire shapes of the catalogue routes (api.md §7, snake_case). */
final class AgentJson {

    private AgentJson() {
    }

    record Listing(List<Summary> agents, long total, int limit, int offset) {
    }

    record Summary(String id, String slug, String name, @JsonProperty("display_name") String displayName, int level,
                   String specialty, List<String> domains, List<String> capabilities, String status,
                   String visibility, @JsonProperty("reports_to") @Nullable String reportsTo) {

        static Summary of(Agent a) {
            return new Summary(a.id(), a.slug(), a.name(), a.displayName(), a.level().number(), a.specialty(),
                    a.domains(), a.capabilities(), a.status().wireName(), a.isPublic() ? "public" : "private",
                    a.reportsTo());
        }
    }

    record Detail(String id, String slug, String name, @JsonProperty("display_name") String displayName, int level,
                  @JsonProperty("level_name") String levelName, String description, String specialty,
                  List<String> domains, List<String> capabilities, List<String> regions,
                  @JsonProperty("therapeutic_areas") List<String> therapeuticAreas, List<String> phases,
                  @JsonProperty("system_prompt") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String systemPrompt,
                  List<String> tools,
                  @JsonProperty("knowledge_namespaces") List<String> knowledgeNamespaces,
                  @JsonProperty("reports_to") @Nullable String reportsTo, @Nullable String model,
                  @Nullable Double temperature, String status, String visibility,
                  @JsonProperty("collaborates_with") List<String> collaboratesWith, int version,
                  @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

        /** The agent as shown; its system prompt only to admins. */
        static Detail of(Agent a, boolean withSystemPrompt) {
            return new Detail(a.id(), a.slug(), a.name(), a.displayName(), a.level().number(),
                    a.level().name().toLowerCase(Locale.ROOT), a.description(), a.specialty(), a.domains(),
                    a.capabilities(), a.regions(), a.therapeuticAreas(), a.phases(),
                    withSystemPrompt ? a.systemPrompt() : null, a.tools(),
                    a.knowledgeNamespaces(), a.reportsTo(), a.model(), a.temperature(), a.status().wireName(),
                    a.isPublic() ? "public" : "private", a.collaboratesWith(), a.version(), a.createdAt(),
                    a.updatedAt());
        }
    }

    record Report(List<Result> results, Summary summary,
                  @JsonProperty("catalogue_version") long catalogueVersion) {

        record Summary(long created, long updated, long unchanged, long failed) {
        }

        static Report of(ImportReport r) {
            return new Report(r.results().stream().map(Result::of).toList(),
                    new Summary(r.count(ImportReport.Outcome.CREATED), r.count(ImportReport.Outcome.UPDATED),
                            r.count(ImportReport.Outcome.UNCHANGED), r.count(ImportReport.Outcome.FAILED)),
                    r.catalogueVersion());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Result(int index, @Nullable String slug, String status, @Nullable String id, @Nullable Integer version,
                  List<ImportReport.FieldError> errors, List<String> warnings) {

        static Result of(ImportReport.RecordResult r) {
            return new Result(r.index(), r.slug(), r.outcome().name().toLowerCase(Locale.ROOT), r.id(), r.version(),
                    r.errors(), r.warnings());
        }
    }
}
