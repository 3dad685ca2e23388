package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TestRedis;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisRunLockIT extends RunLockContract {

    private final TestRedis redis = TestRedis.create();

    @Override
    RunLock lock() {
        return new RedisRunLock(redis.connection());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void the_lock_is_the_runbooks_live_session_key() {
        lock().tryAcquire("abc", "run-1", Duration.ofMinutes(1));
        assertThat(redis.connection().sync().keys("session:*")).containsExactly("session:abc");
        assertThat(redis.connection().sync().get("session:abc")).isEqualTo("run-1");
    }
}
