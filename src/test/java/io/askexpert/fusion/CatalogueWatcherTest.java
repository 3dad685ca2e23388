package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.agents.CatalogueChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache and the snapshot follow catalogue changes: this instance's events and other instances' commits. */
class CatalogueWatcherTest {

    private final List<ExpertEntry> catalogue = new CopyOnWriteArrayList<>(
            List.of(CatalogueSnapshotsTest.expert("fda", "FDA submissions", null)));
    private final CatalogueSnapshots snapshots = new CatalogueSnapshots(() -> new ArrayList<>(catalogue),
            new HashingVectors());
    private final FusionCache cache = new FusionCache(10, Duration.ofMinutes(5));
    private final AtomicLong committed = new AtomicLong(7);
    private final CatalogueWatcher watcher = new CatalogueWatcher(snapshots, cache, committed::get, Duration.ofMillis(50));

    @AfterEach
    void close() {
        watcher.close();
        snapshots.close();
    }

    private void cacheOneSelection() {
        var key = FusionCache.key(new FusionRequest("who files INDs?", "t1", 3, Map.of(), null),
                new FusionEvidence.Weights(0.4, 0.35, 0.25), snapshots.version());
        var evidence = new FusionEvidence("weighted_rrf", key.weights(), List.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), 0, 0, false, null);
        cache.put(key, new FusionResult(List.of(), evidence, false, false, List.of(),
                new FusionResult.Timings(0, 0, Map.of()), List.of()));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void a_change_committed_by_another_instance_clears_the_cache_and_rebuilds_the_snapshot() {
        snapshots.rebuildNow();
        cacheOneSelection();
        long before = snapshots.version();
        catalogue.add(CatalogueSnapshotsTest.expert("ema", "EMA procedures", null));
        committed.incrementAndGet();
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshots.get().size() == 2);
        assertThat(cache.size()).isZero();
        assertThat(snapshots.version()).isGreaterThan(before);
    }

    @Test
    void this_instances_change_event_clears_the_cache_at_once() {
        snapshots.rebuildNow();
        cacheOneSelection();
        catalogue.add(CatalogueSnapshotsTest.expert("pv", "signal detection", null));
        watcher.on(new CatalogueChanged(8, null, List.of("id-pv")));
        assertThat(cache.size()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshots.get().size() == 2);
    }

    @Test
    void an_unchanged_version_keeps_the_cache() throws Exception {
        snapshots.rebuildNow();
        cacheOneSelection();
        Thread.sleep(300);
        assertThat(cache.size()).isEqualTo(1);
    }
}
