package io.askexpert.knowledge;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.instances.ServiceInstances;
import io.askexpert.observability.ComponentHealth;
import io.askexpert.observability.HealthCheck;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The embedding model and the knowledge base as beans; the model is shared with expert selection. */
@Configuration(proxyBeanMethods = false)
class KnowledgeConfiguration {

    @Bean(destroyMethod = "close")
    TextEmbedder textEmbedder() {
        return new TextEmbedder();
    }

    @Bean(destroyMethod = "close")
    KnowledgeBase knowledgeBase(DataSource dataSource, TextEmbedder embedder, AskExpertSettings settings,
                                ServiceInstances instances) {
        var choice = KnowledgeBase.VectorStore.valueOf(settings.knowledge().vectorStore().toUpperCase(Locale.ROOT));
        return KnowledgeBase.open(dataSource, embedder, choice, settings.dataDir().resolve("knowledge-index"),
                HybridFusion.parse(settings.knowledge().fusion()), instances.id());
    }

    /**
     * {@code vector_index}: not required (the service still starts and streams), but every mode's
     * knowledge search goes through it, so while it is unhealthy no mode reports itself available.
     */
    @Bean
    HealthCheck vectorIndexHealthCheck(KnowledgeBase knowledgeBase) {
        return new HealthCheck() {
            @Override
            public String name() {
                return "vector_index";
            }

            @Override
            public ComponentHealth check() {
                return knowledgeBase.vectorIndexHealth();
            }
        };
    }

    @Bean(destroyMethod = "close")
    OrphanedJobs orphanedJobs(DataSource dataSource, ServiceInstances instances, AskExpertSettings settings) {
        return new OrphanedJobs(new JobStore(JdbcClient.create(dataSource)), instances,
                settings.instances().heartbeatInterval());
    }

    @Bean
    StarterKnowledgeLoader starterKnowledgeLoader(ObjectProvider<KnowledgeBase> knowledgeBase, AskExpertSettings settings) {
        return new StarterKnowledgeLoader(knowledgeBase, settings);
    }
}
