package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CatalogueSnapshotsTest {

    private final List<ExpertEntry> catalogue = new CopyOnWriteArrayList<>();
    private final HashingVectors vectors = new HashingVectors();
    private final AtomicInteger loads = new AtomicInteger();
    private final CatalogueSnapshots snapshots = new CatalogueSnapshots(() -> {
        loads.incrementAndGet();
        return new ArrayList<>(catalogue);
    }, vectors);

    @AfterEach
    void close() {
        snapshots.close();
    }

    static ExpertEntry expert(String slug, String description, String tenant) {
        return new ExpertEntry("id-" + slug, slug, slug, 2, "", description, List.of("regulatory affairs"),
                List.of(), List.of(), List.of(), List.of(), tenant, null, List.of(), "");
    }

    @Test
    void readers_see_an_empty_catalogue_until_the_first_build_then_the_built_one() throws Exception {
        assertThat(snapshots.get().size()).isZero();
        catalogue.add(expert("fda", "FDA submissions", null));
        snapshots.refresh();
        snapshots.awaitReady(Duration.ofSeconds(10));
        assertThat(snapshots.get().size()).isEqualTo(1);
        assertThat(snapshots.version()).isPositive();
    }

    @Test
    void a_rebuild_embeds_only_profiles_whose_text_changed() {
        catalogue.add(expert("fda", "FDA submissions", null));
        catalogue.add(expert("ema", "EMA procedures", null));
        snapshots.rebuildNow();
        // two profiles, their two role lines and the one concept phrase they share ("regulatory affairs")
        assertThat(vectors.embedded.get()).isEqualTo(5);
        catalogue.set(1, expert("ema", "EMA procedures and scientific advice", null));
        catalogue.add(expert("pv", "signal detection", null));
        long before = snapshots.version();
        snapshots.rebuildNow();
        // ema's new profile (its role line is unchanged), pv's profile and role line
        assertThat(vectors.embedded.get()).isEqualTo(8);
        assertThat(snapshots.version()).isGreaterThan(before);
        assertThat(snapshots.get().size()).isEqualTo(3);
    }

    @Test
    void a_pinned_selection_reads_one_snapshot_throughout_even_on_its_executor_while_a_rebuild_swaps() throws Exception {
        catalogue.add(expert("fda", "FDA submissions", null));
        snapshots.rebuildNow();
        try (var executor = snapshots.carryingPin(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())) {
            List<Integer> seen = snapshots.pinned(() -> {
                int before = snapshots.get().size();
                catalogue.add(expert("ema", "EMA procedures", null));
                snapshots.rebuildNow();
                try {
                    int onTask = executor.submit(() -> snapshots.get().size()).get();
                    return List.of(before, snapshots.get().size(), onTask);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(seen).containsExactly(1, 1, 1);
            // Outside the selection, and in the next one, the new snapshot.
            assertThat(snapshots.get().size()).isEqualTo(2);
            assertThat(executor.submit(() -> snapshots.get().size()).get()).isEqualTo(2);
            assertThat(snapshots.pinned(() -> snapshots.get().size())).isEqualTo(2);
        }
    }

    @Test
    void every_swap_notifies_the_listeners() {
        AtomicInteger swaps = new AtomicInteger();
        snapshots.onSwap(swaps::incrementAndGet);
        snapshots.rebuildNow();
        snapshots.rebuildNow();
        assertThat(swaps.get()).isEqualTo(2);
    }

    @Test
    void a_burst_of_changes_is_coalesced_and_the_last_one_is_always_seen() {
        for (int i = 0; i < 50; i++) {
            catalogue.add(expert("e" + i, "expert " + i, null));
            snapshots.refresh();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshots.get().size() == 50);
        assertThat(loads.get()).isLessThanOrEqualTo(50);
    }

    @Test
    void a_failed_rebuild_keeps_the_previous_snapshot() {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        var flaky = new CatalogueSnapshots(() -> {
            if (down.get()) {
                throw new IllegalStateException("database down");
            }
            return List.of(expert("fda", "FDA submissions", null));
        }, vectors);
        try {
            flaky.rebuildNow();
            down.set(true);
            org.assertj.core.api.Assertions.assertThatThrownBy(flaky::rebuildNow).hasMessageContaining("database down");
            assertThat(flaky.get().size()).isEqualTo(1);
        } finally {
            flaky.close();
        }
    }
}
