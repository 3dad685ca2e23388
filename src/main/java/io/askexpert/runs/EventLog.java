package io.askexpert.runs;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The replayable log of a run's events, which every stream is written from.
 * <ul>
 *   <li>Ids start at 1 and grow by exactly 1 per appended event within a run, also when several
 *       threads append to the same run.</li>
 *   <li>{@link #readAfter} returns the events after an id in order; calling it again with the last
 *       id it returned neither skips nor repeats an event, whichever instance appended them.</li>
 *   <li>A run's events are kept while it is appended to and for the time given to {@link #retain}
 *       after it ends (api.md §4: at least 10 minutes).</li>
 * </ul>
 * Implementations: {@code RedisEventLog} (one Redis Stream per run, shared by every instance) and
 * {@code InProcessEventLog} (the embedded default; streams resume only on the same instance).
 * Reads block instead of calling back: stream writers run on virtual threads, where waiting is cheap.
 */
public interface EventLog {

    /** Appends an event and returns it with its id. */
    Sequenced append(String runId, RunEvent event);

    /**
     * Appends an event unless one was appended under {@code key} in this run before, in one step;
     * returns it with its id, or null when it was. For a producer that replays after it died between
     * appending and recording that it had (a mission's worker killed by {@code kill -9}): the log
     * itself, not the producer's record, tells whether the event was sent.
     */
    @Nullable Sequenced appendOnce(String runId, String key, RunEvent event);

    /**
     * Up to {@code limit} events with ids above {@code afterId}, oldest first. When there are none
     * yet, waits up to {@code wait} for the next one; returns an empty list if none came.
     */
    List<Sequenced> readAfter(String runId, long afterId, int limit, Duration wait);

    /** Keeps the run's events for {@code ttl} from now, then forgets them. */
    void retain(String runId, Duration ttl);
}
