/**
 * Typed settings bound from the runbook's environment variables (Configuration Reference),
 * the feature flags, and the {@code check-env} report. Entry points:
 * {@link io.askexpert.config.AskExpertSettings}, {@link io.askexpert.config.EnvironmentReport}.
 * Also the two closed sets every package may name: {@link io.askexpert.config.Mode} and
 * {@link io.askexpert.config.ProcessRole}.
 */
@NullMarked
package io.askexpert.config;

import org.jspecify.annotations.NullMarked;
