package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TokenCommandTest {

    final TokenCommand.TtlConverter ttl = new TokenCommand.TtlConverter();

    @Test
    void ttl_accepts_operator_units() {
        assertThat(ttl.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ttl.convert("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(ttl.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ttl.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ttl.convert("600")).isEqualTo(Duration.ofSeconds(600));
        assertThatThrownBy(() -> ttl.convert("1 week")).hasMessageContaining("--ttl");
        assertThatThrownBy(() -> ttl.convert("0h")).hasMessageContaining("positive");
    }

    @Test
    void options_parse_with_role_and_defaults() {
        TokenCommand command = new TokenCommand();
        new CommandLine(command).parseArgs("--tenant", "acme", "--user", "alice", "--role", "Admin");
        assertThat(command.admin()).isTrue();
        assertThat(command.ttl).isEqualTo(Duration.ofHours(1));
        TokenCommand plain = new TokenCommand();
        new CommandLine(plain).parseArgs("--tenant", "acme", "--user", "bob");
        assertThat(plain.admin()).isFalse();
        TokenCommand wrong = new TokenCommand();
        new CommandLine(wrong).parseArgs("--tenant", "acme", "--user", "bob", "--role", "root");
        assertThatThrownBy(wrong::admin).hasMessageContaining("--role");
    }

    @Test
    void settings_bind_like_the_service_without_starting_it() {
        var settings = TokenCommand.settings();
        assertThat(settings.auth().audience()).isEqualTo("authenticated");
        assertThat(settings.dataDir()).isNotNull();
    }
}
