package io.askexpert.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.deploy.PrometheusText.Sample;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollbackRulesTest {

    static String scrape(long ok, long failed, long fast, long slow) {
        return """
                # TYPE http_requests_total counter
                http_requests_total{method="POST",route="/api/v1/expert/mode1/stream",service="ask-expert",status="200"} %d.0
                http_requests_total{method="POST",route="/api/v1/expert/mode1/stream",service="ask-expert",status="502"} %d.0
                http_requests_total{method="GET",route="/health",service="ask-expert",status="200"} 5000.0
                http_requests_total{method="GET",route="/metrics",service="ask-expert",status="503"} 70.0
                http_request_duration_seconds_bucket{method="POST",route="/x",service="ask-expert",status="200",le="1.0"} %d
                http_request_duration_seconds_bucket{method="POST",route="/x",service="ask-expert",status="200",le="30.0"} %d
                http_request_duration_seconds_bucket{method="POST",route="/x",service="ask-expert",status="200",le="60.0"} %d
                http_request_duration_seconds_bucket{method="POST",route="/x",service="ask-expert",status="200",le="+Inf"} %d
                """.formatted(ok, failed, fast, fast, fast + slow, fast + slow);
    }

    static RollbackRules.Traffic traffic(String before, String after) {
        return RollbackRules.traffic(List.of(before.isEmpty() ? List.of() : PrometheusText.parse(before)),
                List.of(PrometheusText.parse(after)));
    }

    @ParameterizedTest(name = "{0} ok, {1} 5xx, {2} fast, {3} slow -> roll back: {4}")
    @CsvSource({
            "100, 0, 100, 0, false",
            "95, 5, 100, 0, false",     // exactly 5 %: the rule says "exceeds"
            "94, 6, 100, 0, true",
            "2, 1, 3, 0, false",        // too few requests to judge
            "98, 0, 98, 2, true",       // p99 falls in the 30-60 s bucket
            "1000, 0, 995, 5, false"})  // 0.5 % slow: p99 still under 1 s
    void applies_the_runbook_thresholds(long ok, long failed, long fast, long slow, boolean rollBack) {
        var t = traffic("", scrape(ok, failed, fast, slow));
        assertThat(t.requests()).as("probe routes are not counted").isEqualTo(ok + failed);
        assertThat(RollbackRules.RUNBOOK.judge(t).rollBack()).isEqualTo(rollBack);
    }

    @Test
    void counts_only_what_happened_after_the_baseline() {
        var t = traffic(scrape(1000, 100, 1100, 0), scrape(1100, 101, 1201, 0));
        assertThat(t.requests()).isEqualTo(101);
        assertThat(t.errors()).isEqualTo(1);
        assertThat(RollbackRules.RUNBOOK.judge(t).breaches()).isEmpty();
    }

    @Test
    void a_reset_counter_counts_from_zero() {
        var t = traffic(scrape(1000, 0, 1000, 0), scrape(40, 10, 50, 0));
        assertThat(t.requests()).isEqualTo(50);
        assertThat(RollbackRules.RUNBOOK.judge(t).breaches()).singleElement().asString()
                .contains("error rate 20.0 %").contains("10 of 50");
    }

    @Test
    void p99_interpolates_inside_the_bucket_like_histogram_quantile() {
        assertThat(RollbackRules.p99(Map.of(1.0, 0.0, 10.0, 100.0, Double.POSITIVE_INFINITY, 100.0)))
                .isCloseTo(9.91, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(RollbackRules.p99(Map.of(1.0, 0.0, Double.POSITIVE_INFINITY, 10.0))).isEqualTo(1.0);
        assertThat(RollbackRules.p99(Map.of())).isZero();
    }

    @Test
    void refuses_meaningless_thresholds() {
        assertThatThrownBy(() -> new RollbackRules(0, Duration.ofSeconds(30), 10)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> new RollbackRules(0.05, Duration.ZERO, 10)).hasMessageContaining("p99");
    }

    @Test
    void reads_escaped_labels_and_special_values() {
        Sample s = PrometheusText.parseLine("x_total{a=\"q\\\"uote\",b=\"back\\\\slash\"} +Inf 1700000000");
        assertThat(s.name()).isEqualTo("x_total");
        assertThat(s.labels()).containsEntry("a", "q\"uote").containsEntry("b", "back\\slash");
        assertThat(s.value()).isInfinite();
        assertThat(PrometheusText.parseLine("up 1").labels()).isEmpty();
    }
}
