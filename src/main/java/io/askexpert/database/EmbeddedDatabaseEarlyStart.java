package io.askexpert.database;

import java.nio.file.Path;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the embedded PostgreSQL before the context is refreshed, so the server's 2–3 s overlap
 * the configuration parsing and bean creation in front of the first use of the {@code DataSource}
 * (registered in {@code META-INF/spring.factories}). Only where the context would start it anyway:
 * the embedded default, in a context that creates its beans eagerly (a tool command's lazy context
 * starts the server only if the command needs it, and must not take the data directory's lock
 * otherwise).
 */
public final class EmbeddedDatabaseEarlyStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The bean under which the launch waits for {@link DatabaseConfiguration} to take it. */
    static final String BEAN_NAME = "embeddedDatabaseLaunch";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (context.getEnvironment().getProperty("spring.main.lazy-initialization", Boolean.class, false)
                || !(context.getBeanFactory() instanceof DefaultListableBeanFactory beanFactory)
                || beanFactory.containsSingleton(BEAN_NAME)) {
            return;
        }
        // Two properties, not the whole settings record: binding it here cost the main thread a
        // tenth of a second or more, and the context binds (and validates) it anyway. A data
        // directory that differs from the bean's, or a missing one, only loses the head start.
        String url = context.getEnvironment().getProperty("ask-expert.database.url");
        String dataDir = context.getEnvironment().getProperty("ask-expert.data-dir");
        if ((url == null || url.isBlank()) && dataDir != null && !dataDir.isBlank()) {
            register(beanFactory, EmbeddedDatabaseLaunch.begin(Path.of(dataDir)));
        }
    }

    /**
     * A singleton registered as disposable: destroyed when the context closes or its refresh
     * fails, last of all (registered first), which stops the server only if no bean took it.
     */
    private static void register(DefaultListableBeanFactory beanFactory, EmbeddedDatabaseLaunch launch) {
        beanFactory.registerSingleton(BEAN_NAME, launch);
        beanFactory.registerDisposableBean(BEAN_NAME, launch::close);
    }
}
