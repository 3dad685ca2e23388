package io.askexpert.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code bench soak} does: {@code streams} mode 1 streams held at once through one service on
 * PostgreSQL and Redis for {@code hold}, each stream asking again as soon as its answer ends.
 *
 * @param answer        the mock's answers: slow enough that every stream is live at once while the
 *                      answer rate (streams ÷ answer time) stays far below what the machine serves
 * @param heapEvery     heap after a full collection is sampled this often during the hold (its start
 *                      and end are always sampled)
 * @param progressEvery a progress line this often
 * @param poolSize      the service's {@code DATABASE_POOL_SIZE}; PostgreSQL allows 100 connections in all
 * @param serverUrl     the PostgreSQL server, a JDBC URL without the database name; a scratch
 *                      database is created on it and dropped at the end
 * @param redisUrl      the Redis server without a database index; a free index is claimed and flushed
 */
public record SoakPlan(int streams, Duration hold, BenchPlan.MockShape answer, Duration heapEvery,
                       Duration progressEvery, int poolSize, String serverUrl, String redisUrl, Path outDir) {

    /** 50 tokens at 2 a second after 0.5 s: about 25 s per answer, 40 answers/s at 1,000 streams. */
    public static final BenchPlan.MockShape SLOW_ANSWER = new BenchPlan.MockShape(Duration.ofMillis(500), 2, 50);

    /** Heap after GC at the end may exceed the start by at most this fraction. */
    public static final double HEAP_GROWTH_LIMIT = 0.10;

    public SoakPlan {
        if (streams < 1 || hold.isNegative() || hold.isZero() || poolSize < 1 || poolSize > 40) {
            throw new IllegalArgumentException("need streams >= 1, a positive duration and a pool of 1-40 connections");
        }
        if (answer.streaming().plus(answer.ttft()).compareTo(Duration.ofSeconds(50)) > 0) {
            throw new IllegalArgumentException("an answer must end within 50 s (the service's mode 1 timeout is 60 s)");
        }
    }

    /** Streams start over one answer's time, so answers end (and new ones start) at an even rate. */
    public Duration rampUp() {
        return answer.ttft().plus(answer.streaming());
    }

    /** The hold's first heap sample waits until every stream has finished at least one answer. */
    public Duration settle() {
        return rampUp().plus(rampUp());
    }
}
