/**
 * The command line: one jar, several roles ({@code serve}, {@code api}, {@code worker}) and
 * commands ({@code db}, {@code check-env}, {@code token}, …). Entry point: {@link io.askexpert.cli.AskExpertCli}.
 */
@NullMarked
package io.askexpert.cli;

import org.jspecify.annotations.NullMarked;
