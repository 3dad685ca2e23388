package io.askexpert.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

    /** Public-looking names that resolve wherever the row says: the refusal happens after resolution. */
    private static HostResolver fakeDns(Map<String, List<String>> table) {
        return host -> {
            List<String> addresses = table.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new java.util.ArrayList<>();
            for (String a : addresses) {
                out.add(InetAddress.getByName(a)); // literals only: no lookup
            }
            return out;
        };
    }

    private static AddressPolicy policy(String allowed, String host, String... addresses) {
        return new AddressPolicy(AllowedHosts.parse(allowed), fakeDns(Map.of(host, List.of(addresses))));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, loopback", "127.8.9.10, loopback", "::1, loopback",
            "10.1.2.3, private", "172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private",
            "169.254.1.1, link-local", "fe80::1, link-local", "fec0::1, link-local",
            "fc00::1, unique-local", "fd12:3456::1, unique-local",
            "224.0.0.1, multicast", "239.255.255.250, multicast", "ff02::1, multicast",
            "0.0.0.0, unspecified", "::, unspecified", "0.1.2.3, unspecified",
            "100.64.0.1, shared", "255.255.255.255, reserved", "240.0.0.1, reserved", "198.18.0.1, reserved",
            "169.254.169.254, metadata", "169.254.170.2, metadata", "fd00:ec2::254, metadata",
            "100.100.100.200, metadata", "192.0.0.192, metadata",
            "::ffff:127.0.0.1, loopback", "::ffff:10.0.0.1, private", "::ffff:169.254.169.254, metadata",
            "64:ff9b::a00:1, private", "2002:a00:1::, private",
            "93.184.216.34, public", "2606:4700::6810:84e5, public", "172.32.0.1, public"})
    void classifies_every_address(String address, String expected) throws Exception {
        assertThat(AddressClass.of(InetAddress.getByName(address)).wireName()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} refused")
    @CsvSource({"127.0.0.1", "10.0.0.5", "169.254.169.254", "fe80::1", "fd00::1", "224.0.0.1", "0.0.0.0",
            "::ffff:192.168.0.1", "100.64.1.1"})
    void refuses_a_public_name_that_resolves_to_a_refused_address(String address) {
        AddressPolicy policy = policy("", "hooks.example.com", address);
        assertThatThrownBy(() -> policy.check(URI.create("https://hooks.example.com/in")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("hooks.example.com").hasMessageContaining("OUTBOUND_ALLOWED_HOSTS");
    }

    @Test
    void refuses_a_name_with_one_private_address_among_public_ones() {
        AddressPolicy policy = policy("", "mixed.example.com", "93.184.216.34", "10.0.0.7");
        assertThatThrownBy(() -> policy.check(URI.create("http://mixed.example.com/")))
                .isInstanceOf(OutboundRefused.class)
                .satisfies(e -> assertThat(((OutboundRefused) e).addressClass()).isEqualTo(AddressClass.PRIVATE));
    }

    @Test
    void refuses_ip_literals_of_refused_classes_without_any_lookup() {
        AddressPolicy policy = new AddressPolicy(AllowedHosts.none(), HostResolver.system());
        for (String url : List.of("http://127.0.0.1:8080/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
                "http://0x7f000001/", "http://2130706433/")) {
            assertThatThrownBy(() -> policy.check(URI.create(url))).as(url).isInstanceOf(OutboundRefused.class);
        }
    }

    @ParameterizedTest
    @CsvSource({"ftp://example.com/x, http:// or https://", "file:///etc/passwd, http:// or https://",
            "http://user:pw@example.com/, user name or password", "http:///nohost, no host",
            "http://metadata.google.internal/computeMetadata/v1/, metadata",
            "http://a123456789012345678901234567890123456789012345678901234567890123456789.example/, not a valid name"})
    void refuses_unusable_urls_before_resolving(String url, String reason) {
        AddressPolicy policy = policy("", "never.example", "93.184.216.34");
        assertThatThrownBy(() -> policy.check(URI.create(url))).isInstanceOf(OutboundRefused.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refuses_a_name_that_does_not_resolve() {
        AddressPolicy policy = policy("", "known.example", "93.184.216.34");
        assertThatThrownBy(() -> policy.check(URI.create("https://unknown.example/")))
                .isInstanceOf(OutboundRefused.class).hasMessageContaining("does not resolve");
    }

    @Test
    void passes_a_public_address_and_keeps_it_for_the_connection() {
        CheckedTarget target = policy("", "hooks.example.com", "93.184.216.34").check(URI.create("https://hooks.example.com/in"));
        assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(target.port()).isEqualTo(443);
        assertThat(target.operatorAllowed()).isFalse();
    }

    @Test
    void the_operator_allows_named_hosts_ports_and_blocks_only() {
        assertThat(policy("hooks.internal", "hooks.internal", "10.0.0.5").check(URI.create("http://hooks.internal:9000/"))
                .operatorAllowed()).isTrue();
        assertThat(policy("hooks.internal:9000", "hooks.internal", "10.0.0.5").check(URI.create("http://hooks.internal:9000/"))
                .address().getHostAddress()).isEqualTo("10.0.0.5");
        assertThatThrownBy(() -> policy("hooks.internal:9000", "hooks.internal", "10.0.0.5")
                .check(URI.create("http://hooks.internal:9001/"))).isInstanceOf(OutboundRefused.class);
        assertThat(policy("10.0.0.0/8", "svc.corp", "10.9.8.7").check(URI.create("http://svc.corp/")).operatorAllowed()).isTrue();
        assertThatThrownBy(() -> policy("10.0.0.0/8", "svc.corp", "192.168.0.1").check(URI.create("http://svc.corp/")))
                .isInstanceOf(OutboundRefused.class);
        assertThat(policy("127.0.0.1", "127.0.0.1", "127.0.0.1").check(URI.create("http://127.0.0.1:1234/")).operatorAllowed())
                .isTrue();
        assertThat(policy("[::1]:8080", "::1", "::1").check(URI.create("http://[::1]:8080/")).operatorAllowed()).isTrue();
    }

    @Test
    void a_block_never_opens_a_metadata_address_only_its_exact_entry_does() {
        assertThatThrownBy(() -> policy("169.254.0.0/16", "meta.example", "169.254.169.254").check(URI.create("http://meta.example/")))
                .isInstanceOf(OutboundRefused.class);
        assertThat(policy("169.254.169.254", "169.254.169.254", "169.254.169.254")
                .check(URI.create("http://169.254.169.254/")).operatorAllowed()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"'host:0'", "'host:x'", "'10.0.0.0/33'", "'bad_host!'", "'name/8'", "'[::1'"})
    void bad_allow_entries_name_the_variable(String entry) {
        assertThatThrownBy(() -> AllowedHosts.parse(entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OUTBOUND_ALLOWED_HOSTS");
    }

    @Test
    void a_destination_list_matches_the_urls_own_host_and_port_without_resolving() {
        AllowedHosts destinations = AllowedHosts.parse("hooks.example.com, 10.0.0.5:8080, [::1]:9000", "TOOL_HTTP_ALLOWED_HOSTS");
        assertThat(destinations.lists("HOOKS.example.com", 443)).isTrue();
        assertThat(destinations.lists("10.0.0.5", 8080)).isTrue();
        assertThat(destinations.lists("10.0.0.5", 80)).isFalse();
        assertThat(destinations.lists("0:0:0:0:0:0:0:1", 9000)).as("the same address, written out").isTrue();
        assertThat(destinations.lists("[::1]", 9000)).isTrue();
        assertThat(destinations.lists("other.example.com", 443)).isFalse();
        // A name is never looked up: this one could resolve anywhere, and a listed address does not list it.
        assertThat(AllowedHosts.parse("127.0.0.1").lists("localhost", 80)).isFalse();
        assertThat(destinations.lists("1.2.3.999", 80)).as("not a literal, and not looked up").isFalse();
        assertThatThrownBy(() -> AllowedHosts.parse("host:x", "TOOL_HTTP_ALLOWED_HOSTS"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOOL_HTTP_ALLOWED_HOSTS entry 'host:x'");
    }

    @Test
    void the_port_is_the_urls_or_the_schemes_whatever_the_schemes_case() {
        assertThat(AddressPolicy.portOf(URI.create("https://a.example/"))).isEqualTo(443);
        assertThat(AddressPolicy.portOf(URI.create("HTTPS://a.example/"))).isEqualTo(443);
        assertThat(AddressPolicy.portOf(URI.create("http://a.example/"))).isEqualTo(80);
        assertThat(AddressPolicy.portOf(URI.create("http://a.example:8080/"))).isEqualTo(8080);
        CheckedTarget upper = policy("", "hooks.example.com", "93.184.216.34").check(URI.create("HTTPS://hooks.example.com/in"));
        assertThat(upper.port()).isEqualTo(443);
        assertThat(upper.https()).isTrue();
    }
}
