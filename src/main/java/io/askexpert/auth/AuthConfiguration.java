package io.askexpert.auth;

import io.askexpert.config.AskExpertSettings;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The key, the verifier and the minter share one secret and one audience. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

    @Bean
    JwtSecret jwtSecret(AskExpertSettings settings) {
        JwtSecret secret = JwtSecret.resolve(settings);
        if (secret.generated() && (!settings.database().embedded() || settings.redis().configured())) {
            // Another instance on the same database would sign with a different generated secret.
            log.warn("JWT_SECRET is not set: tokens are signed with the secret generated in {}; "
                    + "set JWT_SECRET when several instances serve the same users", secret.file());
        }
        return secret;
    }

    @Bean
    JwtVerifier jwtVerifier(JwtSecret secret, AskExpertSettings settings) {
        return new JwtVerifier(secret, settings.auth().audience(), Clock.systemUTC());
    }

    @Bean
    TokenMinter tokenMinter(JwtSecret secret, AskExpertSettings settings) {
        return new TokenMinter(secret, settings.auth().audience(), Clock.systemUTC());
    }
}
