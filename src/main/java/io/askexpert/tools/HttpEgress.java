package io.askexpert.tools;

import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.AllowedHosts;
import io.askexpert.outbound.OutboundRefused;
import java.net.URI;
import java.util.List;

/**
 * Where {@code http_post} may post: a destination on the operator's list
 * ({@code TOOL_HTTP_ALLOWED_HOSTS}, entries {@code host} for any port or {@code host:port}), so the
 * model can never pick a destination of its own. Only the tool's own answers are decided here (which
 * refusal, which error): the list is parsed and matched by {@code outbound}'s {@link AllowedHosts},
 * the URL's form and port are {@link AddressPolicy}'s, and which addresses may be reached at all is
 * the one address policy every request then goes through (private, loopback, link-local and
 * metadata addresses only with {@code OUTBOUND_ALLOWED_HOSTS}).
 */
final class HttpEgress {

    static final String VARIABLE = "TOOL_HTTP_ALLOWED_HOSTS";

    private final AllowedHosts destinations;
    private final AddressPolicy policy;

    /** @throws IllegalArgumentException naming the bad entry and {@code TOOL_HTTP_ALLOWED_HOSTS} */
    HttpEgress(List<String> allowed, AddressPolicy policy) {
        this.destinations = AllowedHosts.parse(String.join(",", allowed), VARIABLE);
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
        int port = AddressPolicy.portOf(url);
        if (destinations.isEmpty()) {
            throw new ToolRefused("http_post is switched off: the operator allows no hosts (" + VARIABLE + ")");
        }
        if (!destinations.lists(host, port)) {
            String bracketed = host.contains(":") ? "[" + host + "]" : host;
            throw new ToolRefused("host " + bracketed + ":" + port + " is not on the operator's allowlist (" + VARIABLE + ")");
        }
    }
}
