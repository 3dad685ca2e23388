package io.askexpert.fusion;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What fusion knows of one expert: the catalogue fields that describe what it can answer, its
 * visibility ({@code tenantId} null = public) and its relations to other experts.
 */
record ExpertEntry(String id, String slug, String name, int level, String specialty, String description,
                   List<String> domains, List<String> capabilities, List<String> regions,
                   List<String> therapeuticAreas, List<String> phases, @Nullable String tenantId,
                   @Nullable String reportsTo, List<String> collaboratesWith, String knowledgeSummary) {

    ExpertEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        domains = List.copyOf(domains);
        capabilities = List.copyOf(capabilities);
        regions = List.copyOf(regions);
        therapeuticAreas = List.copyOf(therapeuticAreas);
        phases = List.copyOf(phases);
        collaboratesWith = List.copyOf(collaboratesWith);
    }

    boolean visibleTo(String tenant) {
        return tenantId == null || tenantId.equals(tenant);
    }

    /** The text its profile embedding is computed from. */
    String profileText() {
        return String.join(". ", List.of(name, specialty, description,
                "Domains: " + words(domains),
                "Capabilities: " + words(capabilities),
                "Regions: " + String.join(", ", regions),
                "Therapeutic areas: " + String.join(", ", therapeuticAreas),
                knowledgeSummary));
    }

    /**
     * The texts the expert is embedded as; a question's similarity to the expert is the mean of its
     * similarities to them. Two: the whole profile, and the role line with the capabilities
     * ("name: specialty. capability, capability"), which no description, boilerplate or empty field
     * dilutes. Measured on the tuning set (docs/CATALOGUE.md): the mean of the two lifted the vector
     * source's top-3 and fusion's; the best match alone (the role line, or each capability as a
     * vector of its own) lost, because short texts match generic questions too well.
     */
    List<String> vectorTexts() {
        return List.of(profileText(), roleText());
    }

    /** The role line and the capabilities read as words. */
    String roleText() {
        String role = specialty.isBlank() ? name : name + ": " + specialty;
        return capabilities.isEmpty() ? role : role + ". " + words(capabilities);
    }

    /** Capability codes read as words ({@code complaint_trending} → {@code complaint trending}). */
    static String words(List<String> values) {
        return String.join(", ", values.stream().map(v -> v.replace('_', ' ').strip()).toList());
    }
}
