package io.askexpert.auth;

import io.askexpert.config.AskExpertSettings;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The key, the verifier and the minter share one secret and one audience. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    JwtSecret jwtSecret(AskExpertSettings settings) {
        return JwtSecret.resolve(settings);
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
