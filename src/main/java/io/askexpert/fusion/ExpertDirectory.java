package io.askexpert.fusion;

import java.util.Optional;

/** What fusion needs to know about experts beyond retrieval: their display data and synergy. */
interface ExpertDirectory {

    /** An active expert visible to the tenant (public or its own), by id or slug. */
    Optional<ExpertProfile> find(String tenantId, String idOrSlug);

    /**
     * The expert that answers when fusion finds none and no {@code FUSION_FALLBACK_EXPERT} is set:
     * the most general active one the tenant sees (lowest level; its own before public; then slug).
     */
    Optional<ExpertProfile> mostGeneral(String tenantId);

    /** Pairwise synergy for the tenant's visible experts. */
    SynergyBoost.Synergy synergy(String tenantId);

    record ExpertProfile(String id, String slug, String name, int level, String specialty) {
    }
}
