/**
 * Runs (api.md §4, §5.4): every stream is a run with an id, a replayable event log (a Redis
 * Stream, or in-process on the embedded default), cancel from any instance, and one active run
 * per session under the runbook's {@code session:<id>} key. Entry point: {@link io.askexpert.runs.RunRegistry}.
 */
@NullMarked
package io.askexpert.runs;

import org.jspecify.annotations.NullMarked;
