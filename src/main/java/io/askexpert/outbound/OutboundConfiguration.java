package io.askexpert.outbound;

import io.askexpert.config.AskExpertSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The address policy from {@code OUTBOUND_ALLOWED_HOSTS} and the one outbound client. */
@Configuration(proxyBeanMethods = false)
class OutboundConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OutboundConfiguration.class);

    @Bean(destroyMethod = "close")
    OutboundHttp outboundHttp(AskExpertSettings settings) {
        AskExpertSettings.Outbound outbound = settings.outbound();
        AllowedHosts allowed = AllowedHosts.parse(outbound.allowedHosts());
        if (!allowed.isEmpty()) {
            // An exception to the SSRF guard is a deliberate operator choice; say it once at start-up.
            log.warn("Outbound requests may reach these hosts even at private addresses (OUTBOUND_ALLOWED_HOSTS): {}",
                    outbound.allowedHosts());
        }
        return new OutboundHttp(new AddressPolicy(allowed, HostResolver.system()),
                new OutboundHttp.Limits(outbound.timeout(), outbound.connectTimeout(), outbound.maxResponseBytes()));
    }
}
