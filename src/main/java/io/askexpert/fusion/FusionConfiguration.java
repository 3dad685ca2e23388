package io.askexpert.fusion;

import io.askexpert.config.AskExpertSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the fusion engine: the catalogue snapshot (rebuilt in the background), the three
 * retrievers, the selection cache, and the executor the retrievers race on.
 */
@Configuration(proxyBeanMethods = false)
class FusionConfiguration {

    @Bean
    TextVectors fusionTextVectors() {
        return new MiniLmVectors();
    }

    @Bean(destroyMethod = "close")
    CatalogueSnapshots catalogueSnapshots(ObjectProvider<ExpertSource> source, TextVectors vectors) {
        CatalogueSnapshots snapshots = new CatalogueSnapshots(source.getIfAvailable(() -> List::of), vectors);
        snapshots.refresh();
        return snapshots;
    }

    @Bean
    FusionCache fusionCache(AskExpertSettings settings, CatalogueSnapshots snapshots) {
        FusionCache cache = new FusionCache(settings.fusion().cacheSize(), settings.fusion().cacheTtl());
        snapshots.onSwap(cache::clear);
        return cache;
    }

    @Bean
    RoutingEvaluation routingEvaluation(FusionEngine engine, CatalogueSnapshots snapshots) {
        return new RoutingEvaluation(engine, snapshots);
    }

    /** The engine owns its executor (closed with it), so no general-purpose executor bean leaks out. */
    @Bean(destroyMethod = "close")
    FusionEngine fusionEngine(AskExpertSettings settings, CatalogueSnapshots snapshots, TextVectors vectors,
                              FusionCache cache, ObjectProvider<MeterRegistry> registry) {
        ExecutorService fusionExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fusion-", 0).factory());
        List<FusionRetriever> retrievers = List.of(new VectorRetriever(snapshots), new GraphRetriever(snapshots));
        return new FusionEngine(retrievers, new SnapshotDirectory(snapshots), settings.fusion(),
                settings.features().fusionSynergy(), fusionExecutor,
                registry.getIfAvailable(SimpleMeterRegistry::new), vectors::embed, cache, snapshots::version);
    }
}
