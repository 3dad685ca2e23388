package io.askexpert.fusion;

import java.util.Optional;
import java.util.function.Supplier;

/** Profiles and synergy read from the current catalogue snapshot: no database round trip per request. */
final class SnapshotDirectory implements ExpertDirectory {

    private final Supplier<CatalogueSnapshot> snapshot;

    SnapshotDirectory(Supplier<CatalogueSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public Optional<ExpertProfile> find(String tenantId, String idOrSlug) {
        return snapshot.get().find(tenantId, idOrSlug)
                .map(e -> new ExpertProfile(e.id(), e.slug(), e.name(), e.level(), e.specialty()));
    }

    @Override
    public Optional<ExpertProfile> mostGeneral(String tenantId) {
        return snapshot.get().mostGeneral(tenantId)
                .map(e -> new ExpertProfile(e.id(), e.slug(), e.name(), e.level(), e.specialty()));
    }

    @Override
    public SynergyBoost.Synergy synergy(String tenantId) {
        ConceptGraph graph = snapshot.get().graph();
        return graph::synergy;
    }
}
