/**
 * Sessions (api.md §5.3): conversations and their messages, stored server-side, titled from the
 * first question, scoped to tenant and user. Entry point: {@link io.askexpert.sessions.SessionStore}.
 */
@NullMarked
package io.askexpert.sessions;

import org.jspecify.annotations.NullMarked;
