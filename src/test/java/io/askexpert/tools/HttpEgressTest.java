package io.askexpert.tools;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.AllowedHosts;
import io.askexpert.outbound.HostResolver;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The destination list of http_post; addresses are the outbound policy's (AddressPolicyTest). */
class HttpEgressTest {

    private static HttpEgress egress(String... allowed) {
        return new HttpEgress(List.of(allowed), new AddressPolicy(AllowedHosts.none(), HostResolver.system()));
    }

    @Test
    void only_listed_hosts_pass_by_name_or_by_host_and_port() {
        assertThatThrownBy(() -> egress().check(URI.create("https://8.8.8.8/hook")))
                .isInstanceOf(ToolRefused.class).hasMessageContaining("allows no hosts");
        assertThatThrownBy(() -> egress("8.8.4.4").check(URI.create("https://8.8.8.8/hook")))
                .isInstanceOf(ToolRefused.class).hasMessageContaining("8.8.8.8:443 is not on the operator's allowlist");
        assertThatCode(() -> egress("8.8.8.8").check(URI.create("https://8.8.8.8/hook"))).doesNotThrowAnyException();
        assertThatCode(() -> egress("8.8.8.8:443").check(URI.create("https://8.8.8.8/hook"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> egress("8.8.8.8:443").check(URI.create("http://8.8.8.8/hook"))).isInstanceOf(ToolRefused.class);
        assertThatCode(() -> egress("HOOKS.example.com").check(URI.create("https://hooks.example.com/x"))).doesNotThrowAnyException();
        assertThatCode(() -> egress("[::1]:9000").check(URI.create("http://[::1]:9000/hook"))).doesNotThrowAnyException();
    }

    @Test
    void unusable_urls_are_invalid_input_without_echoing_credentials() {
        assertThatThrownBy(() -> egress("8.8.8.8").check(URI.create("file:///etc/passwd"))).isInstanceOf(InvalidToolInput.class);
        assertThatThrownBy(() -> egress("8.8.8.8").check(URI.create("http://user:pw@8.8.8.8/")))
                .isInstanceOf(InvalidToolInput.class).hasMessageNotContaining("pw");
    }

    @Test
    void the_list_is_read_by_the_outbound_parser_and_a_bad_entry_names_the_tools_variable() {
        assertThatThrownBy(() -> egress("hooks.example.com:x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOOL_HTTP_ALLOWED_HOSTS");
        assertThatCode(() -> egress("[::1]:9000").check(URI.create("http://[0:0:0:0:0:0:0:1]:9000/hook"))).doesNotThrowAnyException();
        assertThatCode(() -> egress("hooks.example.com").check(URI.create("HTTPS://hooks.example.com/x"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> egress("hooks.example.com:443").check(URI.create("http://hooks.example.com/x")))
                .isInstanceOf(ToolRefused.class).hasMessageContaining("hooks.example.com:80 is not on the operator's allowlist");
    }
}
