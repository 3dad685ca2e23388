package io.askexpert.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.OpsTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules pass {@code promtool check rules} and their unit tests (each alert fires at
 * each level and stays quiet below it); every dashboard query is valid PromQL; the dashboards
 * are the four the runbook names, at the uids its URLs use.
 */
class AlertRulesIT {

    static final Path ROOT = Path.of(System.getProperty("user.dir"));

    @Test
    void rules_are_valid_and_their_unit_tests_pass() throws Exception {
        Path promtool = OpsTools.require("promtool", "prometheus");
        OpsTools.Result check = OpsTools.run(ROOT, promtool.toString(), "check", "rules", "alerts/ask-expert-alerts.yml");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 16 rules found");
        OpsTools.Result test = OpsTools.run(ROOT.resolve("alerts"), promtool.toString(), "test", "rules",
                "ask-expert-alerts.test.yml");
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
        OpsTools.Result config = OpsTools.run(ROOT, promtool.toString(), "check", "config",
                "deploy/prometheus/prometheus.yml");
        assertThat(config.exitCode()).as(config.output()).isZero();
    }

    @Test
    void every_alert_has_a_test_that_fires_it_and_one_that_does_not() throws Exception {
        String rules = Files.readString(ROOT.resolve("alerts/ask-expert-alerts.yml"));
        String tests = Files.readString(ROOT.resolve("alerts/ask-expert-alerts.test.yml"));
        List<String> alerts = rules.lines().map(String::strip).filter(l -> l.startsWith("- alert: "))
                .map(l -> l.substring("- alert: ".length())).distinct().toList();
        assertThat(alerts).containsExactly("HighErrorRate", "HighLatency", "FusionEngineTimeout",
                "Mode1TimeToFirstToken", "Mode2FusionTime", "QueueDepth", "MemoryUsage", "CPUUsage", "InstanceDown");
        for (String alert : alerts) {
            String block = "alertname: " + alert + "\n";
            assertThat(tests).as(alert).contains(block);
            // A firing case lists labels; a quiet one expects no alert.
            assertThat(tests.split(block, -1)).as(alert + " fires somewhere and stays quiet somewhere")
                    .anyMatch(after -> after.stripLeading().startsWith("exp_alerts:\n") && after.contains("exp_labels"))
                    .anyMatch(after -> after.stripLeading().startsWith("exp_alerts: []"));
        }
    }

    @Test
    void dashboard_queries_are_valid_promql(@TempDir Path dir) throws Exception {
        Path promtool = OpsTools.require("promtool", "prometheus");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int n = 0;
        for (JsonNode dashboard : dashboards().values()) {
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    rules.append("      - record: dashboard:query:").append(n++).append("\n        expr: '")
                            .append(target.get("expr").asString().replace("'", "''")).append("'\n");
                }
            }
        }
        Files.writeString(dir.resolve("queries.yml"), rules);
        OpsTools.Result check = OpsTools.run(dir, promtool.toString(), "check", "rules", "queries.yml");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + n + " rules found");
    }

    @Test
    void the_four_runbook_dashboards_exist_at_their_uids() throws Exception {
        Map<String, JsonNode> byUid = dashboards().values().stream()
                .collect(Collectors.toMap(d -> d.get("uid").asString(), d -> d));
        // https://monitoring…/d/<uid> in the runbook's Grafana Dashboards list.
        assertThat(byUid).containsOnlyKeys("ask-expert", "ask-expert-modes", "agent-hierarchy", "fusion-engine");
        assertThat(byUid.get("ask-expert").get("title").asString()).isEqualTo("Ask Expert Overview");
        byUid.values().forEach(d -> assertThat(d.get("panels")).allSatisfy(p ->
                assertThat(p.get("targets").size()).as(p.get("title").asString()).isPositive()));
    }

    static Map<Path, JsonNode> dashboards() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        try (var files = Files.list(ROOT.resolve("dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .collect(Collectors.toMap(f -> f, f -> json.readTree(f.toFile()), (a, b) -> a,
                            java.util.LinkedHashMap::new));
        }
    }
}
