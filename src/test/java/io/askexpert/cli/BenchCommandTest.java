package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.bench.BenchPlan;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 10, 30, 5);

    private static BenchPlan parse(String... args) {
        BenchCommand.Run run = new BenchCommand.Run();
        new CommandLine(run).parseArgs(args);
        return run.plan(NOW);
    }

    @Test
    void defaults_are_the_full_run_into_a_timestamped_directory() {
        BenchPlan plan = parse();
        assertThat(plan.concurrency()).containsExactly(1, 100, 1000);
        assertThat(plan.repeats()).isEqualTo(3);
        assertThat(plan.probe()).containsExactly(5000);
        assertThat(plan.ragOn()).isTrue();
        assertThat(plan.directOnly()).isFalse();
        assertThat(plan.outDir()).isEqualTo(Path.of("bench", "results", "20261125-103005"));
    }

    @Test
    void options_override_the_preset() {
        BenchPlan plan = parse("--quick", "--out", "/tmp/b", "--repeats", "2", "--concurrency", "1,50",
                "--probe", "500,2500", "--no-rag", "--direct-only", "--profile");
        assertThat(plan.concurrency()).containsExactly(1, 50);
        assertThat(plan.repeats()).isEqualTo(2);
        assertThat(plan.probe()).containsExactly(500, 2500);
        assertThat(plan.minSamples()).isEqualTo(BenchPlan.quick(Path.of("x")).minSamples());
        assertThat(plan.ragOn()).isFalse();
        assertThat(plan.directOnly()).isTrue();
        assertThat(plan.profile()).isTrue();
        assertThat(plan.outDir()).isEqualTo(Path.of("/tmp/b"));
    }

    @Test
    void quick_keeps_its_own_repeats_and_probe() {
        BenchPlan plan = parse("--quick");
        assertThat(plan.repeats()).isEqualTo(1);
        assertThat(plan.probe()).containsExactly(BenchPlan.HOLD_TARGET);
    }

    @Test
    void bad_numbers_are_refused() {
        assertThat(new CommandLine(new AskExpertCommand()).execute("bench", "run", "--concurrency", "1,x"))
                .isEqualTo(2);
        BenchCommand.Run run = new BenchCommand.Run();
        new CommandLine(run).parseArgs("--concurrency", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.plan(NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream counts must be >= 1");
    }

    @Test
    void the_token_is_a_signed_jwt_for_the_bench_user() throws Exception {
        String token = BenchCommand.Run.token("0123456789abcdef0123456789abcdef0123456789abcdef", "bench-user");
        var jwt = com.nimbusds.jwt.SignedJWT.parse(token);
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.MACVerifier(
                "0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("bench-user");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("authenticated");
        assertThat(List.of(jwt.getHeader().getAlgorithm().getName())).containsExactly("HS256");
    }

    @Test
    void soak_defaults_to_a_thousand_streams_for_thirty_minutes_on_the_local_servers() {
        BenchCommand.Soak soak = new BenchCommand.Soak();
        new CommandLine(soak).parseArgs();
        io.askexpert.bench.SoakPlan plan = soak.plan(NOW);
        assertThat(plan.streams()).isEqualTo(1000);
        assertThat(plan.hold()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(plan.poolSize()).isEqualTo(20);
        assertThat(plan.serverUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/");
        assertThat(plan.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(plan.outDir()).isEqualTo(Path.of("bench", "results", "soak-20261125-103005"));
    }

    @Test
    void a_soak_pool_larger_than_the_database_allows_is_refused() {
        BenchCommand.Soak soak = new BenchCommand.Soak();
        new CommandLine(soak).parseArgs("--minutes", "3", "--pool-size", "90");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> soak.plan(NOW))
                .isInstanceOf(IllegalArgumentException.class);
        new CommandLine(soak).parseArgs("--minutes", "3", "--pool-size", "10", "--heap-every", "1");
        assertThat(soak.plan(NOW).hold()).isEqualTo(java.time.Duration.ofMinutes(3));
        assertThat(soak.plan(NOW).heapEvery()).isEqualTo(java.time.Duration.ofMinutes(1));
    }
}
