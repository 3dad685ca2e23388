package io.askexpert.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.util.Objects;

/**
 * A URL that passed the address policy, with the one address the connection must go to: the
 * request is sent there, not to a second resolution of the name (which a rebinding DNS server
 * could answer differently).
 */
public record CheckedTarget(URI uri, String host, int port, InetAddress address, boolean operatorAllowed) {

    public CheckedTarget {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(address, "address");
    }

    public boolean https() {
        return "https".equalsIgnoreCase(uri.getScheme()); // as AddressPolicy#portOf and the HTTP client read it
    }
}
