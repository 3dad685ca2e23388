package io.askexpert.fusion;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.FusionSettings;
import io.askexpert.knowledge.TextEmbedder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wires the fusion engine: the catalogue snapshot (rebuilt in the background when the catalogue
 * changes), the three retrievers, the selection cache, and the executor the retrievers race on.
 */
@Configuration(proxyBeanMethods = false)
class FusionConfiguration {

    /** How often another instance's catalogue change is looked for. */
    private static final Duration VERSION_POLL = Duration.ofSeconds(10);

    /**
     * The same in-process model the knowledge base embeds passages with, looked up at the first
     * embedding: {@link FusionCatalogue}'s ready listener creates this chain in every process, and
     * a short command ({@code db current}, {@code token}) must not load the model it never uses.
     */
    @Bean
    TextVectors fusionTextVectors(ObjectProvider<TextEmbedder> embedderProvider) {
        Supplier<TextEmbedder> embedder = SingletonSupplier.of(embedderProvider::getObject);
        return new TextVectors() {
            @Override
            public float[] embed(String text) {
                return embedder.get().embed(text);
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                return embedder.get().embedAll(texts);
            }
        };
    }

    /** Profiles are embedded once per model and text and kept in the database (see {@link StoredTextVectors}). */
    @Bean(destroyMethod = "close")
    CatalogueSnapshots catalogueSnapshots(AgentCatalog catalog, TextVectors vectors, DataSource dataSource) {
        return new CatalogueSnapshots(new AgentCatalogExperts(catalog),
                new StoredTextVectors(dataSource, TextEmbedder.MODEL, vectors));
    }

    @Bean
    FusionCache fusionCache(AskExpertSettings settings, CatalogueSnapshots snapshots) {
        FusionCache cache = new FusionCache(settings.fusion().cacheSize(), settings.fusion().cacheTtl());
        snapshots.onSwap(cache::clear);
        return cache;
    }

    @Bean(destroyMethod = "close")
    CatalogueWatcher catalogueWatcher(CatalogueSnapshots snapshots, FusionCache cache, AgentCatalog catalog) {
        CatalogueWatcher watcher = new CatalogueWatcher(snapshots, cache, catalog::version, VERSION_POLL);
        snapshots.refresh();
        return watcher;
    }

    @Bean
    FusionCatalogue fusionCatalogue(CatalogueSnapshots snapshots, AgentCatalog catalog, AskExpertSettings settings) {
        return new FusionCatalogue(snapshots, catalog, settings.servesApi());
    }

    /** The engine owns its executor (closed with it), so no general-purpose executor bean leaks out. */
    @Bean(destroyMethod = "close")
    FusionEngine fusionEngine(AskExpertSettings settings, CatalogueSnapshots snapshots, CatalogueWatcher watcher,
                              TextVectors vectors, FusionCache cache, DataSource dataSource,
                              ObjectProvider<MeterRegistry> registry) {
        FusionSettings fusion = settings.fusion();
        Duration relationalDeadline = fusion.sourceTimeout().compareTo(fusion.timeout()) < 0
                ? fusion.sourceTimeout() : fusion.timeout();
        // Every source of a selection reads the snapshot the selection was pinned to.
        ExecutorService fusionExecutor = snapshots.carryingPin(
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fusion-", 0).factory()));
        List<FusionRetriever> retrievers = List.of(new VectorRetriever(snapshots), new GraphRetriever(snapshots),
                new RelationalRetriever(dataSource, snapshots, relationalDeadline));
        return new FusionEngine(retrievers, new SnapshotDirectory(snapshots), fusion,
                settings.features().fusionSynergy(), fusionExecutor,
                registry.getIfAvailable(SimpleMeterRegistry::new), vectors::embed, cache, snapshots::version,
                snapshots::pinned);
    }
}
