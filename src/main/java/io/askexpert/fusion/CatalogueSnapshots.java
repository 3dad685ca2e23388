package io.askexpert.fusion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link CatalogueSnapshot}, rebuilt on one background thread whenever the catalogue
 * changes, so no request ever waits for profile embeddings. Changes that arrive during a rebuild
 * are coalesced into one more rebuild. Profiles whose text did not change keep their vector, so a
 * one-expert edit re-embeds one profile, not the catalogue. Until the first build finishes,
 * readers see an empty catalogue.
 */
final class CatalogueSnapshots implements Supplier<CatalogueSnapshot>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogueSnapshots.class);
    private static final Duration RETRY = Duration.ofSeconds(10);
    /** How long closing waits for a rebuild in progress: a rebuild of 1,000 experts takes a few seconds. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final int EMBED_BATCH = 64;

    private final ExpertSource source;
    private final TextVectors vectors;
    private final ScheduledExecutorService builder;
    private final AtomicReference<CatalogueSnapshot> current =
            new AtomicReference<>(new CatalogueSnapshot(List.of(), new float[0][], 0));
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong versions = new AtomicLong();
    private final CompletableFuture<Void> firstBuild = new CompletableFuture<>();
    private final List<Runnable> onSwap = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Map<String, float[]> vectorsByText = Map.of();
    /** Hears (embedded, to embed) while a rebuild embeds profiles: an import's progress. */
    private final List<java.util.function.BiConsumer<Integer, Integer>> embedding =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Object swapped = new Object();
    private final ScopedValue<CatalogueSnapshot> pinned = ScopedValue.newInstance();

    CatalogueSnapshots(ExpertSource source, TextVectors vectors) {
        this.source = source;
        this.vectors = vectors;
        this.builder = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("fusion-catalogue").factory());
    }

    /** Runs after every swap (the result cache is cleared there). */
    void onSwap(Runnable listener) {
        onSwap.add(listener);
    }

    /** The snapshot this selection runs on, while it is pinned; else the current one. */
    @Override
    public CatalogueSnapshot get() {
        return pinned.isBound() ? pinned.get() : current.get();
    }

    long version() {
        return get().version();
    }

    /**
     * Runs {@code selection} on the current snapshot throughout: every source and every profile
     * look-up it makes reads that one snapshot, even when a rebuild swaps in the next one halfway
     * (read twice, a swap in between could rank an expert the later read no longer holds).
     * Tasks it hands to an executor wrapped by {@link #carryingPin} read the same snapshot.
     */
    <T> T pinned(java.util.function.Supplier<T> selection) {
        return pinned.isBound() ? selection.get() : ScopedValue.where(pinned, current.get()).call(selection::get);
    }

    /** {@code executor}, whose tasks read the snapshot pinned where they were submitted. */
    java.util.concurrent.ExecutorService carryingPin(java.util.concurrent.ExecutorService executor) {
        return new PinCarryingExecutor(executor, pinned);
    }

    /** Asks for a rebuild; returns at once. */
    void refresh() {
        dirty.set(true);
        if (scheduled.compareAndSet(false, true)) {
            builder.execute(this::rebuildWhileDirty);
        }
    }

    /** Waits for the first snapshot (tools and benchmarks; requests never wait). */
    void awaitReady(Duration timeout) throws TimeoutException {
        try {
            firstBuild.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits until the current snapshot was read at catalogue version {@code catalogueVersion} or
     * later, asking for a rebuild if none is under way; {@code progress} hears (embedded, to embed)
     * while profiles are embedded. Returns the snapshot.
     */
    CatalogueSnapshot awaitCatalogueVersion(long catalogueVersion, Duration timeout,
                                            java.util.function.BiConsumer<Integer, Integer> progress)
            throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        embedding.add(progress);
        try {
            if (current.get().catalogueVersion() < catalogueVersion) {
                refresh();
            }
            synchronized (swapped) {
                while (current.get().catalogueVersion() < catalogueVersion) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("the routing snapshot holds catalogue version "
                                + current.get().catalogueVersion() + ", not yet " + catalogueVersion);
                    }
                    swapped.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
            return current.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        } finally {
            embedding.remove(progress);
        }
    }

    /** Rebuilds now on the caller's thread and waits for it: tests and tools. */
    CatalogueSnapshot rebuildNow() {
        try {
            return CompletableFuture.supplyAsync(() -> {
                rebuild();
                return current.get();
            }, builder).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("catalogue rebuild failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void rebuildWhileDirty() {
        try {
            while (dirty.getAndSet(false)) {
                rebuild();
            }
        } catch (RuntimeException e) {
            log.warn("Fusion catalogue rebuild failed, retrying in {}s: {}", RETRY.toSeconds(), e.toString());
            dirty.set(true);
            scheduled.set(false);
            builder.schedule(this::refresh, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        scheduled.set(false);
        // A change that arrived between the last check and clearing the flag still gets its rebuild.
        if (dirty.get() && scheduled.compareAndSet(false, true)) {
            builder.execute(this::rebuildWhileDirty);
        }
    }

    private void rebuild() {
        long started = System.nanoTime();
        // Read first: a change committed while loading leaves the snapshot marked older than it is, never newer.
        long catalogueVersion = source.catalogueVersion();
        List<ExpertEntry> experts = source.load();
        List<List<String>> perExpert = experts.stream().map(ExpertEntry::vectorTexts).toList();
        List<String> concepts = ConceptGraph.phrases(experts);
        java.util.LinkedHashSet<String> texts = new java.util.LinkedHashSet<>();
        perExpert.forEach(texts::addAll);
        texts.addAll(concepts);
        List<String> missing = texts.stream().filter(t -> !vectorsByText.containsKey(t)).toList();
        Map<String, float[]> fresh = new HashMap<>();
        List<float[]> computed = embedReporting(missing);
        for (int i = 0; i < missing.size(); i++) {
            fresh.put(missing.get(i), computed.get(i));
        }
        Map<String, float[]> kept = new HashMap<>();
        for (String t : texts) {
            kept.put(t, fresh.containsKey(t) ? fresh.get(t) : vectorsByText.get(t));
        }
        vectorsByText = kept;
        List<float[][]> vectors = perExpert.stream()
                .map(ts -> ts.stream().map(kept::get).toArray(float[][]::new)).toList();
        Map<String, float[]> conceptVectors = new HashMap<>();
        concepts.forEach(c -> conceptVectors.put(c, kept.get(c)));
        CatalogueSnapshot next = new CatalogueSnapshot(experts, vectors, conceptVectors,
                source.fullTextDocuments(), catalogueVersion, versions.incrementAndGet());
        current.set(next);
        synchronized (swapped) {
            swapped.notifyAll();
        }
        onSwap.forEach(Runnable::run);
        firstBuild.complete(null);
        log.info("Fusion catalogue v{}: {} experts, {} texts embedded, {} ms", next.version(), experts.size(),
                missing.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Embeds in batches so an import waiting for the snapshot can show how far it got. */
    private List<float[]> embedReporting(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += EMBED_BATCH) {
            out.addAll(vectors.embedAll(texts.subList(from, Math.min(texts.size(), from + EMBED_BATCH))));
            int done = out.size();
            embedding.forEach(listener -> listener.accept(done, texts.size()));
        }
        return out;
    }

    /**
     * Stops the thread and waits (up to {@link #CLOSE_WAIT}) for a read it started: the context
     * closes the connection pool after this bean, and a query still running then fails on a
     * closed connection and logs its stack trace as the process exits.
     */
    @Override
    public void close() {
        ExecutorStop.stopAndWait(builder, CLOSE_WAIT);
    }
}
