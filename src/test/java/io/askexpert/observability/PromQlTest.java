package io.askexpert.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void finds_selectors_matchers_and_grouping_labels() {
        PromQl q = PromQl.parse("histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket"
                + "{service=\"ask-expert\",status=~\"5..\"}[5m]))) > 3 <= 10");
        assertThat(q.selectors()).singleElement().satisfies(s -> {
            assertThat(s.metric()).isEqualTo("http_request_duration_seconds_bucket");
            assertThat(s.matchers()).extracting(PromQl.Matcher3::label, PromQl.Matcher3::op, PromQl.Matcher3::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("service", "=", "ask-expert"),
                            org.assertj.core.groups.Tuple.tuple("status", "=~", "5.."));
        });
        assertThat(q.groupingLabels()).containsExactly("le", "route");
    }

    @Test
    void reads_bare_series_and_both_sides_of_an_operator() {
        PromQl q = PromQl.parse("sum by (instance) (jvm_memory_used_bytes{area=\"heap\"}) / sum by (instance) "
                + "(jvm_memory_max_bytes > 0) and on (instance) up == 1 or vector(0)");
        assertThat(q.selectors()).extracting(PromQl.Selector::metric)
                .containsExactly("jvm_memory_used_bytes", "jvm_memory_max_bytes", "up");
        assertThat(q.groupingLabels()).containsExactly("instance");
    }
}
