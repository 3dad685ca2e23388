package io.askexpert.ratelimit;

/**
 * Per-key request rate limits (api.md §3). In-process on the embedded default, one Lua script
 * in Redis when {@code REDIS_URL} is set, so the limit holds across every instance.
 */
public interface RateLimiter {

    /** Takes one permit from {@code key}'s bucket if there is one; never blocks. */
    RateLimitDecision acquire(String key, RateLimit limit);
}
