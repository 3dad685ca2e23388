package io.askexpert.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.config.Mode;
import io.askexpert.observability.ComponentHealth;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@code queue} in {@code /health/detailed}: the depth when the queue answers, a safe reason when not. */
class QueueHealthCheckTest {

    @Test
    void the_in_process_queue_reports_how_many_missions_wait() {
        InProcessMissionQueue queue = new InProcessMissionQueue();
        QueueHealthCheck check = QueueHealthCheck.inProcess(queue);
        assertThat(check.name()).isEqualTo("queue");
        assertThat(check.required()).isFalse();
        assertThat(check.modes()).containsExactlyInAnyOrder(Mode.MODE3, Mode.MODE4);
        assertThat(check.check()).isEqualTo(ComponentHealth.healthy("in-process queue (REDIS_URL not set): 0 missions waiting"));
        queue.push(UUID.randomUUID());
        assertThat(check.check().detail()).endsWith(": 1 mission waiting");
        queue.push(UUID.randomUUID());
        assertThat(check.check().detail()).endsWith(": 2 missions waiting");
    }

    @Test
    void an_unreachable_or_slow_queue_is_unhealthy_without_the_error_message() {
        QueueHealthCheck down = new QueueHealthCheck("Redis list ask_expert_queue", () -> {
            throw new IllegalStateException("Unable to connect to redis://secret@10.0.0.5:6379");
        });
        assertThat(down.check().status()).isEqualTo(ComponentHealth.Status.UNHEALTHY);
        assertThat(down.check().detail()).isEqualTo("Redis list ask_expert_queue unreachable (IllegalStateException)");
        QueueHealthCheck slow = new QueueHealthCheck("Redis list ask_expert_queue", () -> {
            throw new TimeoutException();
        });
        assertThat(slow.check().detail()).isEqualTo("Redis list ask_expert_queue did not answer within 3 s");
    }
}
