package io.askexpert.fusion;

import io.askexpert.config.FusionSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.fusion.FusionEvidence.SourceReport;
import io.askexpert.fusion.FusionRetriever.Source;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the expert team for a question (runbook: Fusion; api.md §5.2). The three retrievers run
 * in parallel, each under its own deadline inside {@code FUSION_TIMEOUT}; a source that is late
 * or fails is dropped, the others' results are kept and the result is marked {@code degraded}.
 * Results are merged by weighted RRF (or, with {@code FUSION_METHOD=weighted_score}, by weighted
 * scores: {@link RankFusion}), optionally re-seated by synergy, and resolved to profiles.
 * When nothing clears the confidence threshold (or every source failed), the fallback expert
 * answers if {@code FUSION_FALLBACK_ENABLED}: {@code FUSION_FALLBACK_EXPERT}, or when that is not
 * set the most general expert the tenant sees; when every source failed and there is no
 * fallback, the request fails with {@code FUSION_TIMEOUT}.
 */
public final class FusionEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FusionEngine.class);
    /** Share of a source's best score a graph or relational hit needs to be fused (see {@link #decisive}). */
    static final double DECISIVE = 0.5;
    /** Cosine below the vector source's best at which its hits stop being fused (see {@link #decisive}). */
    static final double VECTOR_MARGIN = 0.03;
    /**
     * What bge-small-en-v1.5 is trained to read before a short query that should find longer passages
     * (the model card's retrieval instruction); profiles are embedded without it.
     */
    public static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    private final List<FusionRetriever> retrievers;
    private final ExpertDirectory directory;
    private final FusionSettings settings;
    private final boolean synergyEnabled;
    private final RankFusion fusion;
    private final PanelSeating panel;
    private final ExecutorService executor;
    private final FusionMetrics metrics;

    private final java.util.function.Function<String, float[]> embedder;
    private final FusionCache cache;
    private final LongSupplier catalogueVersion;
    private final java.util.function.Function<java.util.function.Supplier<FusionResult>, FusionResult> pin;

    FusionEngine(List<FusionRetriever> retrievers, ExpertDirectory directory, FusionSettings settings,
                 boolean synergyEnabled, ExecutorService executor, MeterRegistry registry,
                 java.util.function.Function<String, float[]> embedder) {
        this(retrievers, directory, settings, synergyEnabled, executor, registry, embedder, FusionCache.disabled(),
                () -> 0L);
    }

    FusionEngine(List<FusionRetriever> retrievers, ExpertDirectory directory, FusionSettings settings,
                 boolean synergyEnabled, ExecutorService executor, MeterRegistry registry,
                 java.util.function.Function<String, float[]> embedder, FusionCache cache,
                 LongSupplier catalogueVersion) {
        this(retrievers, directory, settings, synergyEnabled, executor, registry, embedder, cache, catalogueVersion,
                java.util.function.Supplier::get);
    }

    /** @param pin runs one selection on one catalogue snapshot throughout ({@link CatalogueSnapshots#pinned}) */
    FusionEngine(List<FusionRetriever> retrievers, ExpertDirectory directory, FusionSettings settings,
                 boolean synergyEnabled, ExecutorService executor, MeterRegistry registry,
                 java.util.function.Function<String, float[]> embedder, FusionCache cache,
                 LongSupplier catalogueVersion,
                 java.util.function.Function<java.util.function.Supplier<FusionResult>, FusionResult> pin) {
        this.pin = pin;
        this.cache = cache;
        this.catalogueVersion = catalogueVersion;
        this.retrievers = List.copyOf(retrievers);
        this.embedder = embedder;
        this.directory = directory;
        this.settings = settings;
        this.synergyEnabled = synergyEnabled;
        this.fusion = RankFusion.of(settings);
        this.panel = new PanelSeating(settings.panelMinConfidence(),
                new SynergyBoost(settings.synergyStrength(), settings.synergyMaxBoost()));
        this.executor = executor;
        this.metrics = new FusionMetrics(registry);
    }

    public FusionResult select(FusionRequest request) {
        return pin.apply(() -> selectPinned(request));
    }

    private FusionResult selectPinned(FusionRequest request) {
        FusionEvidence.Weights weights = request.weights() != null ? request.weights()
                : new FusionEvidence.Weights(settings.vectorWeight(), settings.graphWeight(), settings.relationalWeight());
        FusionCache.Key key = FusionCache.key(request, weights, catalogueVersion.getAsLong());
        Optional<FusionResult> hit = cache.get(key);
        metrics.cache(hit.isPresent());
        if (hit.isPresent()) {
            return hit.get().asCached();
        }
        FusionResult result = compute(request, weights);
        // A degraded or fallback answer reflects a passing failure: the next request should try again.
        if (!result.fallback() && !result.evidence().degraded()) {
            cache.put(key, result);
        }
        return result;
    }

    /** A fresh selection that neither reads nor fills the cache (evaluation, benchmarks). */
    public FusionResult selectFresh(FusionRequest request) {
        return pin.apply(() -> compute(request, request.weights() != null ? request.weights()
                : new FusionEvidence.Weights(settings.vectorWeight(), settings.graphWeight(), settings.relationalWeight())));
    }

    private FusionResult compute(FusionRequest request, FusionEvidence.Weights weights) {
        FusionQuery query = new FusionQuery(request.question(), request.tenantId(), request.context(),
                Math.max(20, request.maxExperts() * 5), null);
        List<FusionRetriever> active = new ArrayList<>();
        Map<String, SourceReport> reports = new LinkedHashMap<>();
        for (FusionRetriever retriever : retrievers) {
            if (RankFusion.weight(weights, retriever.source()) <= 0) {
                reports.put(retriever.source().key(), new SourceReport("skipped", 0, 0));
            } else {
                active.add(retriever);
            }
        }
        // The embedding is computed before the clock starts: fusion time is reported without it.
        double embeddingMs = 0;
        if (active.stream().anyMatch(FusionRetriever::wantsEmbedding)) {
            long embedStart = System.nanoTime();
            try {
                query = query.withEmbedding(embedder.apply(request.question()));
                if (active.stream().anyMatch(r -> r.source() == Source.VECTOR)) {
                    query = query.withSearchEmbedding(embedder.apply(QUERY_INSTRUCTION + request.question()));
                }
            } catch (RuntimeException e) {
                log.warn("Question embedding failed: {}", e.toString());
            }
            embeddingMs = preciseMs(System.nanoTime() - embedStart);
        }
        final FusionQuery ready = query;
        long started = System.nanoTime();

        Map<Source, Future<List<RetrieverHit>>> running = new EnumMap<>(Source.class);
        Map<Source, Long> startedAt = new EnumMap<>(Source.class);
        // Each source notes when it finished itself: the results are collected one after the other,
        // so the time the collecting thread first sees a result would include waiting for the others.
        Map<Source, Long> endedAt = new java.util.concurrent.ConcurrentHashMap<>();
        for (FusionRetriever retriever : active) {
            startedAt.put(retriever.source(), System.nanoTime());
            running.put(retriever.source(), executor.submit(() -> {
                try {
                    if (retriever.needsEmbedding() && ready.embedding() == null) {
                        throw new IllegalStateException("no embedding of the question");
                    }
                    return retriever.retrieve(ready);
                } finally {
                    endedAt.put(retriever.source(), System.nanoTime());
                }
            }));
        }

        long overallDeadline = started + settings.timeout().toNanos();
        Map<Source, List<RetrieverHit>> answered = new EnumMap<>(Source.class);
        // Each source's whole list, before the decisive cut, is what the evidence reports.
        Map<Source, List<RetrieverHit>> returned = new EnumMap<>(Source.class);
        Map<String, Double> sourceMs = new LinkedHashMap<>();
        boolean degraded = false;
        for (var entry : running.entrySet()) {
            Source source = entry.getKey();
            long sourceDeadline = Math.min(overallDeadline, startedAt.get(source) + settings.sourceTimeout().toNanos());
            long waitNanos = Math.max(0, sourceDeadline - System.nanoTime());
            try {
                List<RetrieverHit> hits = entry.getValue().get(waitNanos, TimeUnit.NANOSECONDS);
                returned.put(source, hits);
                hits = decisive(source, hits);
                answered.put(source, hits);
                long nanos = endedAt.getOrDefault(source, System.nanoTime()) - startedAt.get(source);
                sourceMs.put(source.key(), preciseMs(nanos));
                reports.put(source.key(), new SourceReport("ok", hits.size(), TimeUnit.NANOSECONDS.toMillis(nanos)));
                metrics.sourceDone(source.key(), "ok", nanos);
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                degraded = true;
                long nanos = System.nanoTime() - startedAt.get(source);
                sourceMs.put(source.key(), preciseMs(nanos));
                reports.put(source.key(), new SourceReport("timeout", 0, TimeUnit.NANOSECONDS.toMillis(nanos)));
                metrics.timeout(source.key());
                metrics.sourceDone(source.key(), "timeout", nanos);
            } catch (ExecutionException e) {
                degraded = true;
                long nanos = endedAt.getOrDefault(source, System.nanoTime()) - startedAt.get(source);
                sourceMs.put(source.key(), preciseMs(nanos));
                log.warn("Fusion source {} failed: {}", source.key(), e.getCause().toString());
                reports.put(source.key(), new SourceReport("failed", 0, TimeUnit.NANOSECONDS.toMillis(nanos)));
                metrics.failure(source.key());
                metrics.sourceDone(source.key(), "failed", nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AskExpertException(ErrorCode.SERVICE_UNAVAILABLE, "fusion was interrupted");
            }
        }

        List<RankFusion.Fused> fused = fusion.rank(answered, returned, weights);
        List<RankFusion.Fused> confident = fused.stream()
                .filter(f -> f.confidence() >= settings.minConfidence())
                .filter(f -> directory.find(request.tenantId(), f.expertId()).isPresent())
                .toList();
        SelectionExplainer explainer = new SelectionExplainer(answered, returned,
                id -> directory.find(request.tenantId(), id).map(ExpertDirectory.ExpertProfile::slug).orElse(id));
        String fallbackReason = null;
        List<SelectedExpert> selected = new ArrayList<>();
        List<ExpertEvidence> explained = new ArrayList<>();
        boolean fallback = false;
        if (confident.isEmpty()) {
            fallbackReason = answered.isEmpty() ? "all_sources_failed" : "below_threshold";
            Optional<ExpertDirectory.ExpertProfile> fallbackExpert = !settings.fallbackEnabled() ? Optional.empty()
                    : settings.fallbackExpert().isBlank() ? directory.mostGeneral(request.tenantId())
                    : directory.find(request.tenantId(), settings.fallbackExpert());
            if (fallbackExpert.isPresent()) {
                var p = fallbackExpert.get();
                ExpertEvidence why = explainer.fallback(p.id(), fallbackReason);
                selected.add(new SelectedExpert(p.id(), p.name(), 0, PanelRole.FALLBACK, p.level(), p.specialty(), why.reasoning()));
                explained.add(why);
                fallback = true;
            } else if (answered.isEmpty()) {
                metrics.selection(started, "failed");
                throw new AskExpertException(ErrorCode.FUSION_TIMEOUT,
                        "no fusion source answered within " + settings.timeout().toSeconds() + "s and no fallback expert is available",
                        Map.of("sources", reports.keySet()));
            }
        } else {
            SynergyBoost.Synergy pairs = synergyEnabled ? directory.synergy(request.tenantId()) : (a, b) -> 0.0;
            List<PanelSeating.Seat> seats = panel.seat(confident, request.maxExperts(), pairs,
                    (f, boost) -> fusion.rescored(f, weights, boost), explainer::covers);
            for (int i = 0; i < seats.size(); i++) {
                PanelSeating.Seat seat = seats.get(i);
                RankFusion.Fused member = seat.member();
                var p = directory.find(request.tenantId(), member.expertId()).orElseThrow();
                PanelRole role = PanelRole.ofSeat(i);
                ExpertEvidence why = explainer.explain(member, role, seat.synergyBoost(), seat.adds(), panel.bar());
                selected.add(new SelectedExpert(p.id(), p.name(), member.confidence(), role, p.level(), p.specialty(),
                        why.reasoning()));
                explained.add(why);
            }
        }

        double fusionMs = preciseMs(System.nanoTime() - started);
        FusionEvidence evidence = new FusionEvidence(fusion.method().wireName(), weights,
                answered.keySet().stream().map(Source::key).toList(), reports,
                scores(returned.get(Source.VECTOR)), paths(returned.get(Source.GRAPH)),
                scores(returned.get(Source.RELATIONAL)), Math.round(fusionMs), Math.round(embeddingMs), degraded,
                fallbackReason);
        metrics.selection(started, fallback ? "fallback" : degraded ? "degraded" : "ok");
        java.util.LinkedHashSet<String> ranking = new java.util.LinkedHashSet<>();
        selected.forEach(e -> ranking.add(e.id()));
        fused.stream().filter(f -> ranking.size() < 10).forEach(f -> ranking.add(f.expertId()));
        return new FusionResult(selected, evidence, fallback, false, explained,
                new FusionResult.Timings(embeddingMs, fusionMs, sourceMs), List.copyOf(ranking));
    }

    /**
     * The words of a question the relational source asks PostgreSQL for (letters and digits,
     * lower-cased, distinct, at most its term cap), so a routing evaluation records exactly what
     * that source reads rather than a copy that could drift from it.
     */
    public static List<String> relationalWords(String question) {
        return RelationalRetriever.words(question);
    }

    /** Stops the retrievers' executor; selections in flight see their sources time out. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * The hits each source is sure of: the graph's and the relational source's that score at least
     * {@link #DECISIVE} of their best, the vector source's within {@link #VECTOR_MARGIN} cosine of its
     * best. Reciprocal ranks are flat (rank 1 and rank 20 differ by a factor of 1.3 at k = 60), so
     * being on a source's list at all outweighed being first on another's: a weak match far down a
     * list lifted the wrong expert over the right one. Cosines of a question with every profile lie
     * close together (most within 0.1), so the vector cut is a margin, not a share. Both chosen on
     * the tuning set (docs/CATALOGUE.md).
     */
    static List<RetrieverHit> decisive(Source source, List<RetrieverHit> hits) {
        if (hits.isEmpty()) {
            return hits;
        }
        double best = hits.getFirst().score();
        double floor = source == Source.VECTOR ? best - VECTOR_MARGIN : DECISIVE * best;
        return hits.stream().filter(h -> h.score() >= floor).toList();
    }

    /** Milliseconds with two decimals. */
    private static double preciseMs(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private static Map<String, Double> scores(List<RetrieverHit> hits) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (hits != null) {
            hits.stream().limit(20).forEach(h -> out.putIfAbsent(h.expertId(), Math.round(h.score() * 1e4) / 1e4));
        }
        return out;
    }

    private static Map<String, List<String>> paths(List<RetrieverHit> hits) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (hits != null) {
            hits.stream().limit(20).forEach(h -> out.putIfAbsent(h.expertId(), h.path()));
        }
        return out;
    }

    /** The runbook's {@code fusion_timeouts_total} and the per-source and selection timings. */
    private static final class FusionMetrics {
        private final MeterRegistry registry;

        FusionMetrics(MeterRegistry registry) {
            this.registry = registry;
            registry.counter("fusion_timeouts_total");
        }

        void cache(boolean hit) {
            registry.counter("fusion_cache_requests_total", "result", hit ? "hit" : "miss").increment();
        }

        void timeout(String source) {
            registry.counter("fusion_timeouts_total").increment();
            registry.counter("fusion_source_timeouts_total", "source", source).increment();
        }

        void failure(String source) {
            registry.counter("fusion_source_failures_total", "source", source).increment();
        }

        void sourceDone(String source, String outcome, long nanos) {
            Timer.builder("fusion_source_duration").tag("source", source).tag("outcome", outcome)
                    .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        }

        void selection(long startNanos, String outcome) {
            Timer.builder("fusion_selection_duration").tag("outcome", outcome).publishPercentileHistogram()
                    .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }
}
