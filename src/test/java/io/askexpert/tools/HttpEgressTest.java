package io.askexpert.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpEgressTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.100.100.200", "0.0.0.0", "255.255.255.255", "224.0.0.1", "198.18.0.1", "192.0.0.170",
            "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
            "::127.0.0.1", "64:ff9b::a9fe:a9fe"})
    void internal_addresses_are_recognised(String address) throws UnknownHostException {
        assertThat(HttpEgress.internal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.1", "2606:4700:4700::1111",
            "64:ff9b::808:808"})
    void public_addresses_are_not(String address) throws UnknownHostException {
        assertThat(HttpEgress.internal(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void only_listed_hosts_pass_and_internal_ones_only_by_exact_host_and_port() {
        assertThatThrownBy(() -> new HttpEgress(List.of()).check(URI.create("https://8.8.8.8/hook")))
                .isInstanceOf(ToolRefused.class).hasMessageContaining("allows no hosts");
        assertThatThrownBy(() -> new HttpEgress(List.of("8.8.4.4")).check(URI.create("https://8.8.8.8/hook")))
                .isInstanceOf(ToolRefused.class).hasMessageContaining("8.8.8.8:443 is not on the operator's allowlist");
        assertThat(new HttpEgress(List.of("8.8.8.8")).check(URI.create("https://8.8.8.8/hook"))).isNotEmpty();
        assertThat(new HttpEgress(List.of("8.8.8.8:443")).check(URI.create("https://8.8.8.8/hook"))).isNotEmpty();
        assertThatThrownBy(() -> new HttpEgress(List.of("8.8.8.8:443")).check(URI.create("http://8.8.8.8/hook")))
                .isInstanceOf(ToolRefused.class);
        assertThatThrownBy(() -> new HttpEgress(List.of("10.0.0.5")).check(URI.create("http://10.0.0.5:8080/hook")))
                .isInstanceOf(ToolRefused.class).hasMessageContaining("internal address");
        assertThat(new HttpEgress(List.of("10.0.0.5:8080")).check(URI.create("http://10.0.0.5:8080/hook"))).isNotEmpty();
        assertThat(new HttpEgress(List.of("[::1]:9000")).check(URI.create("http://[::1]:9000/hook"))).isNotEmpty();
        assertThatThrownBy(() -> new HttpEgress(List.of("8.8.8.8")).check(URI.create("file:///etc/passwd")))
                .isInstanceOf(InvalidToolInput.class);
    }
}
