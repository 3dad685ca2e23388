package io.askexpert.webhooks;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.outbound.OutboundHttp;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The webhook stores, the key of their secrets, the entry point and (on every serving or working
 * instance) the dispatcher. A serving or working instance encrypts, once at start, the secrets an
 * earlier release stored in plain text.
 */
@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebhooksConfiguration.class);

    @Bean
    SecretCipher webhookSecretCipher(AskExpertSettings settings) {
        SecretCipher cipher = SecretCipher.resolve(settings);
        if (cipher.source() == SecretCipher.Source.GENERATED && !settings.database().embedded()) {
            log.warn("WEBHOOK_ENCRYPTION_KEY is not set: webhook secrets are encrypted with the key generated in {};"
                    + " instances sharing this database must share one key", SecretCipher.keyFile(settings));
        }
        return cipher;
    }

    /** Not in one-shot command-line runs: they exit before a delivery could be made. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${ask-expert.role:serve}' != 'cli'")
    WebhookDispatcher webhookDispatcher(DataSource dataSource, OutboundHttp http, AskExpertSettings settings,
                                        SecretCipher cipher) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return new WebhookDispatcher(new DeliveryStore(jdbc), new WebhookSender(new WebhookStore(jdbc, cipher), http,
                Clock.systemUTC()), settings.webhooks());
    }

    @Bean
    Webhooks webhooks(DataSource dataSource, OutboundHttp http, ObjectProvider<WebhookDispatcher> dispatcher,
                      SecretCipher cipher, AskExpertSettings settings) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        WebhookStore store = new WebhookStore(jdbc, cipher);
        if (settings.servesApi() || settings.runsWorker()) {
            encryptPlainSecrets(store);
        }
        WebhookDispatcher running = dispatcher.getIfAvailable();
        Runnable wake = running == null ? () -> { } : running::wake;
        return new Webhooks(store, new DeliveryStore(jdbc), http.policy(), wake, Clock.systemUTC());
    }

    private static void encryptPlainSecrets(WebhookStore store) {
        try {
            int encrypted = store.encryptPlainSecrets();
            if (encrypted > 0) {
                log.info("Encrypted {} webhook secret(s) stored in plain text by an earlier release", encrypted);
            }
        } catch (DataAccessException e) {
            // The database may be briefly down at start; plain secrets are still read as they are.
            log.warn("Could not encrypt the webhook secrets stored in plain text now (retried at the next start): {}",
                    e.getClass().getSimpleName());
        }
    }
}
