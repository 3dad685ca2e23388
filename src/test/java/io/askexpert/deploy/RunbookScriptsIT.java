package io.askexpert.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.OpsTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every script the runbook names exists, explains itself with {@code --help} and refuses a wrong
 * argument with a reason and a non-zero exit; {@code health-check.sh} is the runbook's own text.
 */
class RunbookScriptsIT {

    static final Path ROOT = Path.of(System.getProperty("user.dir"));

    @ParameterizedTest
    @ValueSource(strings = {"check-env.sh", "check-dependencies.sh", "smoke-tests.sh", "rollback.sh",
            "backup-before-deploy.sh", "blue-green-deploy.sh", "post-deploy-tests.sh", "wait-for-healthy.sh",
            "deployment.sh"})
    void answers_help_and_refuses_a_wrong_argument(String script) throws Exception {
        Path file = ROOT.resolve("scripts").resolve(script);
        assertThat(file).exists().isExecutable();
        OpsTools.Result help = OpsTools.run(ROOT, "bash", file.toString(), "--help");
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output().toLowerCase()).contains("usage");
        OpsTools.Result wrong = OpsTools.run(ROOT, "bash", file.toString(), "--no-such-option", "x", "y", "z");
        assertThat(wrong.exitCode()).as(wrong.output()).isNotZero();
        assertThat(wrong.output().toLowerCase()).containsAnyOf("unknown", "usage", "error");
    }

    @Test
    void health_check_is_the_runbooks_script_unchanged() throws Exception {
        Path runbook = ROOT.resolve("../shared/spec/runbook.md").normalize();
        Assumptions.assumeTrue(Files.exists(runbook), "the runbook is beside the repository in shared/spec");
        Matcher block = Pattern.compile("```bash\\n(#!/bin/bash\\n# scripts/health-check.sh\\n.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(runbook));
        assertThat(block.find()).isTrue();
        assertThat(Files.readString(ROOT.resolve("scripts/health-check.sh"))).isEqualTo(block.group(1));
    }

    @Test
    void the_deployment_scripts_parse() throws Exception {
        try (var files = Files.list(ROOT.resolve("scripts"))) {
            for (Path script : files.filter(f -> f.toString().endsWith(".sh")).toList()) {
                OpsTools.Result parse = OpsTools.run(ROOT, "bash", "-n", script.toString());
                assertThat(parse.exitCode()).as(script + ": " + parse.output()).isZero();
            }
        }
    }
}
