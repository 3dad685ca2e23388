/**
 * Deploy-time checks of the runbook's Rollback Procedures: the automatic-rollback rules (health
 * after 60 s, 5xx rate, p99) read from a new release's {@code /metrics}. Entry point:
 * {@link io.askexpert.deploy.DeployVerifier}; the command is {@code ask-expert deploy verify}.
 */
@NullMarked
package io.askexpert.deploy;

import org.jspecify.annotations.NullMarked;
