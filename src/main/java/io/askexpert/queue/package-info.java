/**
 * The mission queue (runbook: {@code ask_expert_queue}): a wake-up for workers, never the source of
 * truth. Entry point: {@link io.askexpert.queue.MissionQueue}.
 */
@NullMarked
package io.askexpert.queue;

import org.jspecify.annotations.NullMarked;
