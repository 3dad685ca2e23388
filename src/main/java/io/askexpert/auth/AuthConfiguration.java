package io.askexpert.auth;

import io.askexpert.config.AskExpertSettings;
import java.time.Clock;
import javax.sql.DataSource;
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
    JwtVerifier jwtVerifier(JwtSecret secret, AskExpertSettings settings, TenantMemberships memberships) {
        if (settings.auth().trustTenantHeader()) {
            log.warn("AUTH_TRUST_TENANT_HEADER=true: any valid token without a tenant claim may act in the tenant its "
                    + "X-Tenant-ID names; run this only behind a gateway that sets that header itself");
        }
        return new JwtVerifier(secret, settings.auth().audience(), Clock.systemUTC(),
                new TenantResolver(memberships::roleOf, settings.auth().trustTenantHeader(),
                        settings.auth().platformRoleEnabled()));
    }

    @Bean
    TenantMemberships tenantMemberships(DataSource dataSource) {
        return new TenantMemberships(dataSource);
    }

    @Bean
    TokenMinter tokenMinter(JwtSecret secret, AskExpertSettings settings) {
        return new TokenMinter(secret, settings.auth().audience(), Clock.systemUTC());
    }
}
