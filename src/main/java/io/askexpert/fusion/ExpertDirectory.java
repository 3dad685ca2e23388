package io.askexpert.fusion;

import java.util.Optional;

/** What fusion needs to know about experts beyond retrieval: their display data and synergy. */
interface ExpertDirectory {

    /** An active expert visible to the tenant (public or its own), by id or slug. */
    Optional<ExpertProfile> find(String tenantId, String idOrSlug);

    /** Pairwise synergy for the tenant's visible experts. */
    SynergyBoost.Synergy synergy(String tenantId);

    record ExpertProfile(String id, String slug, String name, int level, String specialty) {
    }
}
