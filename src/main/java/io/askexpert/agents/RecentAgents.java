package io.askexpert.agents;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active agents by (tenant, id or slug) in memory, so answering a question does not read the
 * catalogue from the database. Cleared at once by this instance's own writes, and when the
 * catalogue's version moved (another instance wrote): the version is checked in the background at
 * most once per {@code recheck}, never on the caller's path, so another instance's change is seen
 * here within about that long. A lookup that misses reads the database, so a new agent is found
 * at once wherever it was written.
 */
final class RecentAgents {

    private static final Logger log = LoggerFactory.getLogger(RecentAgents.class);
    /** Bounds the memory: a tenant sees its own agents and the public ones, a few thousand at most. */
    private static final int MAX_ENTRIES = 20_000;

    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    /** Bumped by every clear: a lookup that read the database before a clear does not store what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean checking = new AtomicBoolean();
    private final LongSupplier catalogueVersion;
    private final long recheckNanos;
    private volatile long seenVersion = -1;
    private volatile long checkedAt = System.nanoTime();

    RecentAgents(LongSupplier catalogueVersion, Duration recheck) {
        this.catalogueVersion = catalogueVersion;
        this.recheckNanos = recheck.toNanos();
    }

    /** The active agent, from memory or else from {@code load} (which may find it inactive or absent). */
    Optional<Agent> find(String tenantId, String idOrSlug, Function<String, Optional<Agent>> load) {
        recheckSoon();
        String key = tenantId + '\u0000' + idOrSlug;
        Agent known = agents.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        long before = generation.get();
        Optional<Agent> loaded = load.apply(idOrSlug).filter(Agent::active);
        if (loaded.isPresent() && agents.size() < MAX_ENTRIES) {
            agents.put(key, loaded.get());
            if (generation.get() != before) {
                agents.remove(key, loaded.get());
            }
        }
        return loaded;
    }

    void clear() {
        generation.incrementAndGet();
        agents.clear();
    }

    private void recheckSoon() {
        if (System.nanoTime() - checkedAt < recheckNanos || !checking.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("agents-version").start(() -> {
            try {
                long version = catalogueVersion.getAsLong();
                if (version != seenVersion) {
                    clear();
                    seenVersion = version;
                }
            } catch (RuntimeException e) {
                // Unknown version: forget everything rather than serve what may be stale.
                clear();
                log.debug("Catalogue version check failed: {}", e.getClass().getSimpleName());
            } finally {
                checkedAt = System.nanoTime();
                checking.set(false);
            }
        });
    }
}
