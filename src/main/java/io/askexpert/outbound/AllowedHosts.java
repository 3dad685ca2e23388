package io.askexpert.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A list of hosts the operator wrote, parsed and matched in one place. As the exceptions to the
 * address policy ({@code OUTBOUND_ALLOWED_HOSTS}): a comma-separated list of {@code host},
 * {@code host:port}, an IP literal ({@code [::1]:8080} for IPv6 with a port) or a CIDR block
 * ({@code 10.20.0.0/16}). A host name entry permits that name whatever it resolves to; an address
 * or CIDR entry permits the addresses inside it. A metadata address is permitted only by an entry
 * naming exactly that address, never by a block around it. As a caller's destinations
 * ({@code TOOL_HTTP_ALLOWED_HOSTS}): {@link #lists} matches the URL's own host and port, before any
 * resolution, so a listed name never stands for the addresses it resolves to.
 */
public record AllowedHosts(List<Entry> entries) {

    public AllowedHosts {
        entries = List.copyOf(entries);
    }

    public static AllowedHosts none() {
        return new AllowedHosts(List.of());
    }

    /** @throws IllegalArgumentException naming the bad entry and {@code OUTBOUND_ALLOWED_HOSTS} */
    public static AllowedHosts parse(@Nullable String value) {
        return parse(value, "OUTBOUND_ALLOWED_HOSTS");
    }

    /**
     * The same syntax read from another variable, whose name the refusal of a bad entry carries.
     *
     * @throws IllegalArgumentException naming the bad entry and {@code variable}
     */
    public static AllowedHosts parse(@Nullable String value, String variable) {
        List<Entry> entries = new ArrayList<>();
        if (value != null) {
            for (String raw : value.split(",")) {
                String item = raw.strip().toLowerCase(Locale.ROOT);
                if (!item.isEmpty()) {
                    entries.add(Entry.parse(item, variable));
                }
            }
        }
        return new AllowedHosts(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** True when the operator allowed a connection to {@code address} for the URL host {@code host}:{@code port}. */
    public boolean permits(String host, int port, InetAddress address) {
        return matches(host, port, address);
    }

    /**
     * True when an entry lists the URL's host itself on {@code port}: by its name, or, for an
     * IP-literal host, by an address entry holding it. Nothing is resolved, so a name matches only
     * a name entry (what a destination list needs: the name, not whatever a DNS answer says).
     */
    public boolean lists(String host, int port) {
        String bare = stripBrackets(host.toLowerCase(Locale.ROOT));
        return matches(bare, port, Entry.isAddressLiteral(bare) ? literal(bare) : null);
    }

    private boolean matches(String host, int port, @Nullable InetAddress address) {
        String name = stripBrackets(host.toLowerCase(Locale.ROOT));
        for (Entry e : entries) {
            if (e.port() != -1 && e.port() != port) {
                continue;
            }
            if (e.hostName() != null && e.hostName().equals(name)) {
                return true;
            }
            if (e.network() != null && address != null && e.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host); // never a lookup, even for a malformed literal
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True when an entry names exactly this host (metadata names need that; no block opens them). */
    public boolean namesHost(String host) {
        String name = stripBrackets(host.toLowerCase(Locale.ROOT));
        return entries.stream().anyMatch(e -> name.equals(e.hostName()));
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * One allowed host name, or one address block ({@code prefix} bits of {@code network}); {@code port}
     * -1 means any port.
     */
    public record Entry(@Nullable String hostName, byte @Nullable [] network, int prefix, int port) {

        static Entry parse(String item, String variable) {
            String hostPart = item;
            int port = -1;
            if (item.startsWith("[")) {
                int close = item.indexOf(']');
                if (close < 0) {
                    throw bad(variable, item, "an IPv6 address in brackets needs its closing ]");
                }
                hostPart = item.substring(1, close);
                String rest = item.substring(close + 1);
                if (rest.startsWith(":")) {
                    port = port(variable, item, rest.substring(1));
                } else if (!rest.isEmpty()) {
                    throw bad(variable, item, "expected :port after ]");
                }
            } else if (item.chars().filter(c -> c == ':').count() == 1) {
                int colon = item.indexOf(':');
                hostPart = item.substring(0, colon);
                port = port(variable, item, item.substring(colon + 1));
            }
            int prefix = -1;
            String addressPart = hostPart;
            int slash = hostPart.indexOf('/');
            if (slash >= 0) {
                addressPart = hostPart.substring(0, slash);
                try {
                    prefix = Integer.parseInt(hostPart.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw bad(variable, item, "the block size after / must be a number");
                }
            }
            if (isAddressLiteral(addressPart)) {
                byte[] network;
                try {
                    network = InetAddress.getByName(addressPart).getAddress(); // a literal: no lookup happens
                } catch (UnknownHostException e) {
                    throw bad(variable, item, "not an IP address");
                }
                int bits = network.length * 8;
                if (prefix == -1) {
                    prefix = bits;
                }
                if (prefix < 0 || prefix > bits) {
                    throw bad(variable, item, "the block size must be 0-" + bits);
                }
                return new Entry(null, network, prefix, port);
            }
            if (slash >= 0) {
                throw bad(variable, item, "a block (/n) needs an IP address before it");
            }
            if (!addressPart.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
                throw bad(variable, item, "not a host name, IP address or CIDR block");
            }
            return new Entry(addressPart, null, 0, port);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            byte[] net = Objects.requireNonNull(network);
            if (candidate.length != net.length) {
                return false;
            }
            if (AddressClass.of(address) == AddressClass.METADATA && prefix != net.length * 8) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((candidate[bit / 8] & mask) != (net[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        static boolean isAddressLiteral(String s) {
            return s.contains(":") || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        }

        private static int port(String variable, String item, String text) {
            try {
                int p = Integer.parseInt(text);
                if (p >= 1 && p <= 65_535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(variable, item, "the port must be 1-65535");
        }

        private static IllegalArgumentException bad(String variable, String item, String why) {
            return new IllegalArgumentException(variable + " entry '" + item + "': " + why);
        }
    }
}
