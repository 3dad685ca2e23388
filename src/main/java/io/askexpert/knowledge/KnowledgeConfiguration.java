package io.askexpert.knowledge;

import io.askexpert.config.AskExpertSettings;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embedding model and the knowledge base as beans; the model is shared with expert selection. */
@Configuration(proxyBeanMethods = false)
class KnowledgeConfiguration {

    @Bean(destroyMethod = "close")
    TextEmbedder textEmbedder() {
        return new TextEmbedder();
    }

    @Bean(destroyMethod = "close")
    KnowledgeBase knowledgeBase(DataSource dataSource, TextEmbedder embedder, AskExpertSettings settings) {
        var choice = KnowledgeBase.VectorStore.valueOf(settings.knowledge().vectorStore().toUpperCase(Locale.ROOT));
        return KnowledgeBase.open(dataSource, embedder, choice, settings.dataDir().resolve("knowledge-index"),
                HybridFusion.parse(settings.knowledge().fusion()));
    }

    @Bean
    StarterKnowledgeLoader starterKnowledgeLoader(ObjectProvider<KnowledgeBase> knowledgeBase, AskExpertSettings settings) {
        return new StarterKnowledgeLoader(knowledgeBase, settings);
    }
}
