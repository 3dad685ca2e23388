package io.askexpert.fusion;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Recent selections, so a repeated question costs no embedding and no retrieval. Keyed by tenant,
 * normalized question, context, effective weights, team size and the catalogue version the result
 * was computed from; bounded (least recently used goes first) and expiring. Cleared whenever the
 * catalogue changes; the version in the key also keeps a result computed from an older snapshot,
 * stored while a new one was being built, from ever being served after the swap.
 */
final class FusionCache {

    record Key(String tenantId, String question, Map<String, String> context, FusionEvidence.Weights weights,
               int maxExperts, long catalogueVersion) {
    }

    private record Entry(FusionResult result, long expiresAtNanos) {
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final LinkedHashMap<Key, Entry> entries;

    FusionCache(int maxEntries, Duration ttl, LongSupplier clock) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    FusionCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    static FusionCache disabled() {
        return new FusionCache(0, Duration.ZERO);
    }

    boolean enabled() {
        return maxEntries > 0 && ttlNanos > 0;
    }

    static Key key(FusionRequest request, FusionEvidence.Weights weights, long catalogueVersion) {
        Map<String, String> context = new TreeMap<>();
        request.context().forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                context.put(k, v.trim().toLowerCase(Locale.ROOT));
            }
        });
        return new Key(request.tenantId(), normalize(request.question()), Map.copyOf(context), weights,
                request.maxExperts(), catalogueVersion);
    }

    /** Case, surrounding space, runs of spaces and trailing punctuation do not change the routing. */
    static String normalize(String question) {
        String q = question.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
        return q.replaceAll("[\\s?.!]+$", "");
    }

    synchronized Optional<FusionResult> get(Key key) {
        if (!enabled()) {
            return Optional.empty();
        }
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() - e.expiresAtNanos() >= 0) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.result());
    }

    synchronized void put(Key key, FusionResult result) {
        if (!enabled()) {
            return;
        }
        entries.put(key, new Entry(result, clock.getAsLong() + ttlNanos));
        if (entries.size() > maxEntries) {
            var eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    synchronized void clear() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }
}
