package io.askexpert.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InProcessLimitersTest extends LimiterContract {

    final RateLimiter rates = new InProcessRateLimiter(Clock.systemUTC());
    final ConcurrencyLimiter slots = new InProcessConcurrencyLimiter();

    @Override
    RateLimiter rateLimiter() {
        return rates;
    }

    @Override
    ConcurrencyLimiter concurrencyLimiter() {
        return slots;
    }

    /** A clock tests move by hand, so refill is checked without waiting. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    void refills_continuously_up_to_the_capacity() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new InProcessRateLimiter(clock);
        RateLimit sixtyPerMinute = RateLimit.perMinute(60);
        for (int i = 0; i < 60; i++) {
            assertThat(limiter.acquire("k", sixtyPerMinute).allowed()).isTrue();
        }
        RateLimitDecision refused = limiter.acquire("k", sixtyPerMinute);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(refused.reset()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        clock.millis.addAndGet(1_000);
        RateLimitDecision after = limiter.acquire("k", sixtyPerMinute);
        assertThat(after.allowed()).isTrue();
        assertThat(after.remaining()).isZero();
        clock.millis.addAndGet(3_600_000);
        assertThat(limiter.acquire("k", sixtyPerMinute).remaining()).isEqualTo(59);
    }
}
