package io.askexpert.observability;

import io.askexpert.config.AskExpertSettings;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two components every role needs: PostgreSQL, and Redis when {@code REDIS_URL} is set. On
 * the embedded default the in-process backends stand in for Redis and report healthy, because
 * they are what serves the queue, event log, locks and limits there (and the runbook's script
 * requires {@code redis == "healthy"}).
 */
@Configuration(proxyBeanMethods = false)
class PlatformHealthChecks {

    @Bean
    HealthCheck databaseHealthCheck(DataSource dataSource, AskExpertSettings settings) {
        String where = settings.database().embedded() ? "embedded PostgreSQL" : "PostgreSQL at DATABASE_URL";
        return new HealthCheck() {
            @Override
            public String name() {
                return "database";
            }

            @Override
            public boolean required() {
                return true;
            }

            @Override
            public ComponentHealth check() {
                try (Connection connection = dataSource.getConnection()) {
                    return connection.isValid(3) ? ComponentHealth.healthy(where)
                            : ComponentHealth.unhealthy(where + " did not answer");
                } catch (SQLException e) {
                    return ComponentHealth.unhealthy(where + " unreachable (SQLSTATE " + e.getSQLState() + ")");
                }
            }
        };
    }

    @Bean
    HealthCheck redisHealthCheck(AskExpertSettings settings,
                                 ObjectProvider<StatefulRedisConnection<String, String>> connection) {
        boolean configured = settings.redis().configured();
        return new HealthCheck() {
            @Override
            public String name() {
                return "redis";
            }

            @Override
            public boolean required() {
                return configured;
            }

            @Override
            public ComponentHealth check() {
                if (!configured) {
                    return ComponentHealth.healthy("in-process (REDIS_URL not set)");
                }
                try {
                    String pong = connection.getObject().async().ping().get(3, TimeUnit.SECONDS);
                    return "PONG".equals(pong) ? ComponentHealth.healthy("Redis at REDIS_URL")
                            : ComponentHealth.unhealthy("Redis at REDIS_URL answered " + pong);
                } catch (TimeoutException e) {
                    return ComponentHealth.unhealthy("Redis at REDIS_URL did not answer within 3 s");
                } catch (ExecutionException | RuntimeException e) {
                    return ComponentHealth.unhealthy("Redis at REDIS_URL unreachable");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ComponentHealth.unhealthy("interrupted");
                }
            }
        };
    }
}
