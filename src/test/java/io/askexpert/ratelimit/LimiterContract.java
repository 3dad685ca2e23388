package io.askexpert.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} and {@link ConcurrencyLimiter} must do, run against the
 * in-process implementations ({@code InProcessLimitersTest}) and Redis ({@code RedisLimitersIT}).
 * Windows are an hour long so no refill can happen while a test runs.
 */
abstract class LimiterContract {

    static final RateLimit FIVE_PER_HOUR = new RateLimit(5, Duration.ofHours(1));
    static final Duration LEASE = Duration.ofMinutes(10);

    abstract RateLimiter rateLimiter();

    abstract ConcurrencyLimiter concurrencyLimiter();

    static String key() {
        return "contract:" + UUID.randomUUID();
    }

    @Test
    void allows_the_limit_then_refuses_with_headers_values() {
        String key = key();
        Instant before = Instant.now().minusSeconds(5);
        for (int i = 1; i <= 5; i++) {
            RateLimitDecision decision = rateLimiter().acquire(key, FIVE_PER_HOUR);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.limit()).isEqualTo(5);
            assertThat(decision.remaining()).isEqualTo(5 - i);
            assertThat(decision.retryAfter()).isEqualTo(Duration.ZERO);
        }
        RateLimitDecision refused = rateLimiter().acquire(key, FIVE_PER_HOUR);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        // One permit of five per hour comes back after about twelve minutes.
        assertThat(refused.retryAfterSeconds()).isBetween(11 * 60L, 12 * 60L + 1);
        assertThat(refused.reset()).isAfter(before.plus(Duration.ofMinutes(55)))
                .isBefore(before.plus(Duration.ofMinutes(61)));
        assertThat(refused.resetEpochSeconds()).isGreaterThan(Instant.now().getEpochSecond());
    }

    @Test
    void keys_are_independent() {
        String a = key();
        String b = key();
        for (int i = 0; i < 5; i++) {
            rateLimiter().acquire(a, FIVE_PER_HOUR);
        }
        assertThat(rateLimiter().acquire(a, FIVE_PER_HOUR).allowed()).isFalse();
        assertThat(rateLimiter().acquire(b, FIVE_PER_HOUR).allowed()).isTrue();
    }

    @Test
    void parallel_callers_never_get_more_than_the_limit() throws Exception {
        String key = key();
        RateLimit ten = new RateLimit(10, Duration.ofHours(1));
        long allowed = parallel(64, () -> rateLimiter().acquire(key, ten).allowed()).stream().filter(b -> b).count();
        assertThat(allowed).isEqualTo(10);
    }

    @Test
    void concurrency_slots_are_held_until_closed() {
        String key = key();
        Optional<ConcurrencyLimiter.Permit> first = concurrencyLimiter().tryAcquire(key, 2, LEASE);
        Optional<ConcurrencyLimiter.Permit> second = concurrencyLimiter().tryAcquire(key, 2, LEASE);
        assertThat(first).isPresent();
        assertThat(first.get().remaining()).isEqualTo(1);
        assertThat(second).isPresent();
        assertThat(second.get().remaining()).isZero();
        assertThat(concurrencyLimiter().tryAcquire(key, 2, LEASE)).isEmpty();
        assertThat(concurrencyLimiter().inUse(key)).isEqualTo(2);
        first.get().close();
        first.get().close();
        assertThat(concurrencyLimiter().inUse(key)).isEqualTo(1);
        Optional<ConcurrencyLimiter.Permit> third = concurrencyLimiter().tryAcquire(key, 2, LEASE);
        assertThat(third).isPresent();
        assertThat(concurrencyLimiter().tryAcquire(key, 2, LEASE)).isEmpty();
        second.get().close();
        third.get().close();
        assertThat(concurrencyLimiter().inUse(key)).isZero();
    }

    @Test
    void parallel_slot_takers_never_exceed_the_limit() throws Exception {
        String key = key();
        List<Optional<ConcurrencyLimiter.Permit>> permits =
                parallel(64, () -> concurrencyLimiter().tryAcquire(key, 5, LEASE));
        assertThat(permits.stream().filter(Optional::isPresent).count()).isEqualTo(5);
        assertThat(concurrencyLimiter().inUse(key)).isEqualTo(5);
        permits.forEach(p -> p.ifPresent(ConcurrencyLimiter.Permit::close));
        assertThat(concurrencyLimiter().inUse(key)).isZero();
    }

    static <T> List<T> parallel(int callers, Callable<T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
