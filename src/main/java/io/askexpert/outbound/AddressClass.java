package io.askexpert.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What kind of address a resolved name points at. Only {@link #PUBLIC} is reachable without the
 * operator's say-so; the rest are the doors of server-side request forgery (a tenant's URL that
 * reaches the service's own network, its database or the cloud's instance metadata).
 */
public enum AddressClass {
    PUBLIC, LOOPBACK, PRIVATE, LINK_LOCAL, UNIQUE_LOCAL, MULTICAST, UNSPECIFIED, SHARED, METADATA, RESERVED;

    /**
     * Instance-metadata endpoints of the public clouds (AWS, GCP and Azure share 169.254.169.254,
     * AWS ECS task metadata, AWS over IPv6, Alibaba, Oracle). Each already falls in a refused class;
     * they are named so that a broad allow entry (a CIDR) never opens them by accident.
     */
    static final Set<String> METADATA_ADDRESSES = Set.of("169.254.169.254", "169.254.170.2", "fd00:ec2:0:0:0:0:0:254",
            "100.100.100.200", "192.0.0.192");

    public boolean refusedByDefault() {
        return this != PUBLIC;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The class of {@code address}; an IPv6 address that embeds an IPv4 one is judged by it. */
    public static AddressClass of(InetAddress address) {
        if (METADATA_ADDRESSES.contains(address.getHostAddress())) {
            return METADATA;
        }
        if (address instanceof Inet6Address v6) {
            if (v6.isLoopbackAddress() || v6.isAnyLocalAddress()) {
                return v6.isLoopbackAddress() ? LOOPBACK : UNSPECIFIED;
            }
            InetAddress embedded = embeddedIpv4(v6.getAddress());
            if (embedded != null) {
                return of(embedded);
            }
            return ofIpv6(v6);
        }
        return ofIpv4((Inet4Address) address);
    }

    private static AddressClass ofIpv4(Inet4Address address) {
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (address.isAnyLocalAddress() || a0 == 0) {
            return UNSPECIFIED;
        }
        if (address.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
            return PRIVATE;
        }
        if (address.isLinkLocalAddress()) {
            return LINK_LOCAL;
        }
        if (address.isMulticastAddress()) {
            return MULTICAST;
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return SHARED; // carrier-grade NAT, 100.64.0.0/10
        }
        if (a0 >= 240 || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) || (a0 == 198 && (a1 == 18 || a1 == 19))) {
            return RESERVED; // 240/4 and broadcast, IETF 192.0.0.0/24, benchmarking 198.18.0.0/15
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(Inet6Address address) {
        byte[] b = address.getAddress();
        if (address.isAnyLocalAddress()) {
            return UNSPECIFIED;
        }
        if (address.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (address.isMulticastAddress()) {
            return MULTICAST;
        }
        if (address.isLinkLocalAddress() || address.isSiteLocalAddress()) {
            return LINK_LOCAL; // fe80::/10, and the deprecated site-local fec0::/10
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return UNIQUE_LOCAL; // fc00::/7
        }
        if ((b[0] & 0xe0) != 0x20) {
            return RESERVED; // only 2000::/3 is global unicast
        }
        return PUBLIC;
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible
     * ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) or 6to4 ({@code 2002::/16}) address:
     * each reaches that IPv4 host, so it must pass the IPv4 rules.
     */
    private static @Nullable InetAddress embeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        byte @Nullable [] v4 = null;
        if (zeroPrefix && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0 && !allZero(b, 12)))) {
            v4 = new byte[] {b[12], b[13], b[14], b[15]};
        } else if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
            v4 = new byte[] {b[12], b[13], b[14], b[15]};
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = new byte[] {b[2], b[3], b[4], b[5]};
        }
        if (v4 == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static boolean allZero(byte[] b, int from) {
        return allZero(b, from, b.length);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
