/**
 * Checkpoints, the human in the loop of missions (api.md §6.4): persisted questions, decided once
 * by compare-and-set (the same decision again is answered as before, a different one refused),
 * and timed out to their default by {@link io.askexpert.checkpoints.CheckpointTimeouts}.
 * Entry point: {@link io.askexpert.checkpoints.CheckpointStore}.
 */
@NullMarked
package io.askexpert.checkpoints;

import org.jspecify.annotations.NullMarked;
