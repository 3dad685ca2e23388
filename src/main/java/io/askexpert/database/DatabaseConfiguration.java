package io.askexpert.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.config.AskExpertSettings;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Picks the relational store: {@code DATABASE_URL} when set, otherwise the embedded PostgreSQL.
 * The schema is checked (and, unless {@code ASK_EXPERT_AUTO_MIGRATE=false}, upgraded) before the
 * {@code DataSource} is handed to anyone, so no repository ever sees an old schema.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    /**
     * The server {@link EmbeddedDatabaseEarlyStart} began starting before the context was built,
     * or, in a context that did not (a tool command's lazy one), a server started here and now.
     */
    @Bean(destroyMethod = "close")
    @Nullable EmbeddedDatabase embeddedDatabase(AskExpertSettings settings,
                                                ObjectProvider<EmbeddedDatabaseLaunch> launch) {
        if (!settings.database().embedded()) {
            launch.ifAvailable(EmbeddedDatabaseLaunch::close);
            return null;
        }
        EmbeddedDatabaseLaunch early = launch.getIfAvailable();
        return early != null ? early.take(settings.dataDir()) : EmbeddedDatabase.start(settings.dataDir());
    }

    /**
     * Depends on the embedded server (a null bean when {@code DATABASE_URL} is set), so that the
     * context closes the pool, and every bean using it, before it stops the server.
     */
    @Bean(destroyMethod = "close")
    @DependsOn("embeddedDatabase")
    HikariDataSource dataSource(AskExpertSettings settings, ObjectProvider<EmbeddedDatabase> embeddedDatabase) {
        EmbeddedDatabase embedded = embeddedDatabase.getIfAvailable();
        HikariConfig config = new HikariConfig();
        if (embedded != null) {
            config.setJdbcUrl(embedded.jdbcUrl());
            config.setUsername("postgres");
        } else {
            DatabaseUrl url = DatabaseUrl.parse(settings.database().url());
            config.setJdbcUrl(url.jdbcUrl());
            if (url.username() != null) {
                config.setUsername(url.username());
            }
            if (url.password() != null) {
                config.setPassword(url.password());
            }
        }
        config.setPoolName("ask-expert");
        config.setMaximumPoolSize(settings.database().poolSize());
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // Start even when the database is briefly down; /health/detailed reports it.
        config.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(config);
        if (settings.servesApi() || settings.runsWorker()) {
            Optional<String> revision = new Migrations(dataSource).onStart(settings.database().autoMigrate());
            log.info("Database schema at revision {}", revision.orElse("(none)"));
        }
        return dataSource;
    }

    @Bean
    Migrations migrations(DataSource dataSource) {
        return new Migrations(dataSource);
    }
}
