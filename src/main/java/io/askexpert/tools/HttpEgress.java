package io.askexpert.tools;

import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.OutboundRefused;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where {@code http_post} may post: a destination on the operator's list
 * ({@code TOOL_HTTP_ALLOWED_HOSTS}, entries {@code host} for any port or {@code host:port}), so the
 * model can never pick a destination of its own. Which addresses may be reached at all is not decided
 * here: every request then goes through {@code outbound}, the one address policy of the service
 * (private, loopback, link-local and metadata addresses only with {@code OUTBOUND_ALLOWED_HOSTS}).
 */
final class HttpEgress {

    private final List<String> allowed;
    private final AddressPolicy policy;

    HttpEgress(List<String> allowed, AddressPolicy policy) {
        this.allowed = allowed.stream().map(e -> e.strip().toLowerCase(Locale.ROOT)).filter(e -> !e.isEmpty()).toList();
        this.policy = policy;
    }

    /** Passes a listed destination; {@link ToolRefused} or {@link InvalidToolInput} otherwise. */
    void check(URI url) {
        String host;
        try {
            host = policy.checkForm(url);
        } catch (OutboundRefused e) {
            throw new InvalidToolInput("url: " + e.getMessage());
        }
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        if (allowed.isEmpty()) {
            throw new ToolRefused("http_post is switched off: the operator allows no hosts (TOOL_HTTP_ALLOWED_HOSTS)");
        }
        String bracketed = host.contains(":") ? "[" + host + "]" : host;
        if (!allowed.contains(bracketed) && !allowed.contains(bracketed + ":" + port)) {
            throw new ToolRefused("host " + bracketed + ":" + port + " is not on the operator's allowlist (TOOL_HTTP_ALLOWED_HOSTS)");
        }
    }
}
