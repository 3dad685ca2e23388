/**
 * Rate and concurrency limits per key (api.md §3): {@link io.askexpert.ratelimit.RateLimiter} and
 * {@link io.askexpert.ratelimit.ConcurrencyLimiter}, each in-process or in Redis behind one interface.
 */
@NullMarked
package io.askexpert.ratelimit;

import org.jspecify.annotations.NullMarked;
