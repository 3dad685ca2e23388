package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FusionCacheTest {

    private static final FusionEvidence.Weights W = new FusionEvidence.Weights(0.4, 0.35, 0.25);
    private final AtomicLong now = new AtomicLong();

    private static FusionResult result(String id) {
        var evidence = new FusionEvidence("weighted_rrf", W, List.of("vector"), Map.of(), Map.of(), Map.of(), Map.of(),
                1, 1, false, null);
        return new FusionResult(List.of(new SelectedExpert(id, id, 50, PanelRole.LEAD, 1, "", "")), evidence, false, false,
                List.of(), new FusionResult.Timings(1, 1, Map.of()), List.of(id));
    }

    private static FusionRequest request(String question, Map<String, String> context) {
        return new FusionRequest(question, "t1", 3, context, null);
    }

    @Test
    void case_spacing_and_trailing_punctuation_do_not_change_the_key() {
        var a = FusionCache.key(request("What does the FDA expect?", Map.of()), W, 1);
        var b = FusionCache.key(request("  what does   the fda expect ", Map.of()), W, 1);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void tenant_context_weights_size_and_catalogue_version_are_part_of_the_key() {
        var base = FusionCache.key(request("q about fda", Map.of("region_id", "us")), W, 1);
        assertThat(FusionCache.key(request("q about fda", Map.of("region_id", "eu")), W, 1)).isNotEqualTo(base);
        assertThat(FusionCache.key(request("q about fda", Map.of("region_id", "us")), new FusionEvidence.Weights(1, 0, 0), 1))
                .isNotEqualTo(base);
        assertThat(FusionCache.key(request("q about fda", Map.of("region_id", "us")), W, 2)).isNotEqualTo(base);
        assertThat(FusionCache.key(new FusionRequest("q about fda", "t2", 3, Map.of("region_id", "us"), null), W, 1))
                .isNotEqualTo(base);
        assertThat(FusionCache.key(new FusionRequest("q about fda", "t1", 2, Map.of("region_id", "us"), null), W, 1))
                .isNotEqualTo(base);
    }

    @Test
    void entries_expire_after_the_ttl() {
        var cache = new FusionCache(10, Duration.ofSeconds(60), now::get);
        var key = FusionCache.key(request("question one", Map.of()), W, 1);
        cache.put(key, result("a"));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.get(key)).isPresent();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void the_least_recently_used_entry_goes_first_when_full() {
        var cache = new FusionCache(2, Duration.ofSeconds(60), now::get);
        var k1 = FusionCache.key(request("question one", Map.of()), W, 1);
        var k2 = FusionCache.key(request("question two", Map.of()), W, 1);
        var k3 = FusionCache.key(request("question three", Map.of()), W, 1);
        cache.put(k1, result("a"));
        cache.put(k2, result("b"));
        cache.get(k1);
        cache.put(k3, result("c"));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(k2)).isEmpty();
        assertThat(cache.get(k1)).isPresent();
        assertThat(cache.get(k3)).isPresent();
    }

    @Test
    void size_zero_or_ttl_zero_turns_it_off() {
        for (var cache : List.of(new FusionCache(0, Duration.ofSeconds(60)), new FusionCache(10, Duration.ZERO))) {
            var key = FusionCache.key(request("question one", Map.of()), W, 1);
            cache.put(key, result("a"));
            assertThat(cache.get(key)).isEmpty();
        }
    }
}
