/**
 * The error tree of api.md §2: {@link io.askexpert.errors.AskExpertException} carries an
 * {@link io.askexpert.errors.ErrorCode}; the HTTP edge maps the code to status and envelope.
 */
@NullMarked
package io.askexpert.errors;

import org.jspecify.annotations.NullMarked;
