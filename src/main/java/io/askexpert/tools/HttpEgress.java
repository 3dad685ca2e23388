package io.askexpert.tools;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where {@code http_post} may go: a host on the operator's allowlist ({@code TOOL_HTTP_ALLOWED_HOSTS},
 * entries {@code host} for any port or {@code host:port}), whose every resolved address is public.
 * An address inside the organisation or the machine (loopback, private, link-local, which includes
 * the cloud metadata endpoint 169.254.169.254, carrier-grade NAT, unique-local IPv6, multicast,
 * unspecified) is reached only when the exact {@code host:port} is listed, so that allowing a public
 * name never lets a DNS answer point the tool inside. Checked on every call; redirects are not
 * followed, so no other host is reached after the check.
 */
final class HttpEgress {

    private final List<String> allowed;

    HttpEgress(List<String> allowed) {
        this.allowed = allowed.stream().map(e -> e.strip().toLowerCase(Locale.ROOT)).filter(e -> !e.isEmpty()).toList();
    }

    /** The addresses {@code url} may be reached at; {@link ToolRefused} or {@link InvalidToolInput} otherwise. */
    List<InetAddress> check(URI url) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new InvalidToolInput("url must be an http or https URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidToolInput("url must not carry a user name or password");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw new InvalidToolInput("url has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        if (allowed.isEmpty()) {
            throw new ToolRefused("http_post is switched off: the operator allows no hosts (TOOL_HTTP_ALLOWED_HOSTS)");
        }
        boolean exact = allowed.contains(host + ":" + port);
        if (!exact && !allowed.contains(host)) {
            throw new ToolRefused("host " + host + ":" + port + " is not on the operator's allowlist (TOOL_HTTP_ALLOWED_HOSTS)");
        }
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host));
        } catch (UnknownHostException e) {
            throw new ToolRefused("host " + host + " does not resolve");
        }
        if (!exact) {
            for (InetAddress address : addresses) {
                if (internal(address)) {
                    throw new ToolRefused("host " + host + " resolves to an internal address, which is reachable only when "
                            + host + ":" + port + " itself is on the allowlist");
                }
            }
        }
        return addresses;
    }

    /** True for every address that is not a public unicast one. */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            return a0 == 0                                   // "this network"
                    || (a0 == 100 && a1 >= 64 && a1 <= 127)  // carrier-grade NAT, also some clouds' metadata
                    || (a0 == 192 && a1 == 0 && b[2] == 0)   // IETF protocol assignments
                    || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
                    || a0 >= 240;                            // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7 (AWS metadata's IPv6 is fd00:ec2::254)
            }
            boolean embedsV4 = isZero(b, 0, 12) // IPv4-compatible ::a.b.c.d
                    || (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)); // NAT64
            if (embedsV4) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
