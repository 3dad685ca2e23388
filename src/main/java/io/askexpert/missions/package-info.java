/**
 * Missions, the autonomous modes 3 and 4 (api.md §6): a durable state machine in PostgreSQL, run by
 * workers that take mission ids from the queue under a renewed lease, and resumed after a crash, a
 * pause or a human's decision from the last recorded result. Entry point:
 * {@link io.askexpert.missions.MissionService}.
 */
@NullMarked
package io.askexpert.missions;

import org.jspecify.annotations.NullMarked;
