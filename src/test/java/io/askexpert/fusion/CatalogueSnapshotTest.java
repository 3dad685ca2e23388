package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueSnapshotTest {

    private final CatalogueSnapshot snapshot = new CatalogueSnapshot(List.of(
            CatalogueSnapshotsTest.expert("cmc", "public CMC expert", null),
            new ExpertEntry("acme-cmc", "cmc", "Acme CMC", 2, "", "", List.of(), List.of(), List.of(), List.of(),
                    List.of(), "acme", null, List.of(), "")), new float[][] {{1f}, {0f}}, 1);

    @Test
    void a_slug_resolves_to_the_tenants_own_expert_first_then_the_public_one() {
        assertThat(snapshot.find("acme", "cmc")).map(ExpertEntry::id).contains("acme-cmc");
        assertThat(snapshot.find("other", "cmc")).map(ExpertEntry::id).contains("id-cmc");
    }

    @Test
    void another_tenants_expert_is_not_found_by_id_nor_listed_nor_ranked() {
        assertThat(snapshot.find("other", "acme-cmc")).isEmpty();
        assertThat(snapshot.visibleIds("other")).containsExactly("id-cmc");
        assertThat(snapshot.visibleIds("acme")).containsExactlyInAnyOrder("id-cmc", "acme-cmc");
        assertThat(snapshot.nearest(new float[] {0f}, "other", 10)).extracting(RetrieverHit::expertId)
                .containsExactly("id-cmc");
    }

    @Test
    void the_most_general_expert_is_the_lowest_level_one_the_tenant_sees() {
        assertThat(snapshot.mostGeneral("acme")).map(ExpertEntry::id).as("its own first at the same level")
                .contains("acme-cmc");
        assertThat(snapshot.mostGeneral("other")).map(ExpertEntry::id).contains("id-cmc");
        var withDirector = new CatalogueSnapshot(List.of(CatalogueSnapshotsTest.expert("cmc", "CMC", null),
                new ExpertEntry("id-director", "director", "Director", 1, "", "", List.of(), List.of(), List.of(),
                        List.of(), List.of(), "beta", null, List.of(), "")), new float[][] {{1f}, {0f}}, 1);
        assertThat(withDirector.mostGeneral("beta")).map(ExpertEntry::id).contains("id-director");
        assertThat(withDirector.mostGeneral("other")).map(ExpertEntry::id).contains("id-cmc");
        assertThat(new CatalogueSnapshot(List.of(), new float[0][], 1).mostGeneral("other")).isEmpty();
    }

    @Test
    void an_expert_with_several_vectors_scores_their_mean_similarity() {
        var twoVectors = new CatalogueSnapshot(List.of(CatalogueSnapshotsTest.expert("cmc", "CMC", null),
                CatalogueSnapshotsTest.expert("qa", "QA", null)),
                List.of(new float[][] {{1f, 0f}, {0f, 1f}}, new float[][] {{0.8f, 0.6f}}), java.util.Map.of(),
                java.util.Map.of(), -1, 1);
        List<RetrieverHit> hits = twoVectors.nearest(new float[] {1f, 0f}, "other", 10);
        assertThat(hits).extracting(RetrieverHit::expertId).containsExactly("id-qa", "id-cmc");
        assertThat(hits.get(1).score()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    }
}
