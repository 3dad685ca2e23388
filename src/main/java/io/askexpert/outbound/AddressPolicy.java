package io.askexpert.outbound;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether the service may connect to a URL: http or https only, no credentials in the URL,
 * the name resolved here and every address it resolves to checked (a name with one private address
 * among public ones is refused: the connection could land on any of them). Pure apart from the
 * resolver, so every refusal is testable without a network.
 */
public final class AddressPolicy {

    /** Names that resolve to instance metadata inside the clouds, refused before any lookup. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");

    private final AllowedHosts allowed;
    private final HostResolver resolver;

    public AddressPolicy(AllowedHosts allowed, HostResolver resolver) {
        this.allowed = allowed;
        this.resolver = resolver;
    }

    /**
     * The target to connect to.
     *
     * @throws OutboundRefused with a message naming the reason
     */
    public CheckedTarget check(URI uri) {
        String host = checkForm(uri);
        int port = portOf(uri);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new OutboundRefused("the host " + host + " does not resolve", null);
        }
        if (addresses.isEmpty()) {
            throw new OutboundRefused("the host " + host + " does not resolve", null);
        }
        boolean operatorAllowed = false;
        for (InetAddress address : addresses) {
            AddressClass kind = AddressClass.of(address);
            boolean permitted = allowed.permits(host, port, address)
                    && (kind != AddressClass.METADATA || allowed.permits(address.getHostAddress(), port, address));
            if (kind.refusedByDefault() && !permitted) {
                throw new OutboundRefused("the host " + host + " resolves to a " + kind.wireName()
                        + " address; outbound requests go to public addresses only unless the operator lists the host"
                        + " in OUTBOUND_ALLOWED_HOSTS", kind);
            }
            operatorAllowed |= kind.refusedByDefault();
        }
        return new CheckedTarget(uri, host, port, addresses.getFirst(), operatorAllowed);
    }

    /** The port a request to {@code uri} connects to: the URL's own, else the scheme's default. */
    public static int portOf(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * The form of the URL alone (scheme, host, no user info, no metadata name): what a tenant's
     * configuration is checked against when it is saved, before any resolution.
     *
     * @return the host, lower-case, without IPv6 brackets
     */
    public String checkForm(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new OutboundRefused("the URL must start with http:// or https://", null);
        }
        if (uri.getRawUserInfo() != null) {
            throw new OutboundRefused("the URL must not carry a user name or password (send credentials in headers)", null);
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new OutboundRefused("the URL has no host", null);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new OutboundRefused("the URL's host is not a valid name", null);
        }
        String bare = ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
        if (METADATA_NAMES.contains(bare) && !allowed.namesHost(bare)) {
            throw new OutboundRefused("the host " + bare + " is a cloud metadata endpoint", AddressClass.METADATA);
        }
        return bare;
    }
}
