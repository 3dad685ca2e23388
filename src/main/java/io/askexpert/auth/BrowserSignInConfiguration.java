package io.askexpert.auth;

import io.askexpert.config.AskExpertSettings;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web app's sign-in shares the API's secret and audience. */
@Configuration(proxyBeanMethods = false)
class BrowserSignInConfiguration {

    @Bean
    BrowserSignIn browserSignIn(JwtSecret secret, JwtVerifier verifier, AskExpertSettings settings) {
        return new BrowserSignIn(secret, verifier, settings.auth().audience(), Clock.systemUTC());
    }
}
