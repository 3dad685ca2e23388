package io.askexpert.runs;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.ProcessRole;
import io.askexpert.instances.ServiceInstances;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Run registries for tests of other packages, as an instance builds them: on the real {@code runs}
 * table, with the in-process event log or the Redis one (the backends a deployment chooses between).
 */
public final class TestRuns {

    private TestRuns() {
    }

    /** The embedded event log: runs resume only in this process. */
    public static EventLog inProcessLog() {
        return new InProcessEventLog(Clock.systemUTC(), Duration.ofHours(1));
    }

    /** The shared event log on {@code client}'s Redis; closed with the client's shutdown. */
    public static EventLog redisLog(RedisClient client) {
        return new RedisEventLog(client.connect(), client.connectPubSub(), Duration.ofHours(1));
    }

    /** One instance's registry over {@code events} and the {@code runs} table of {@code dataSource}. */
    public static RunRegistry registry(EventLog events, DataSource dataSource) {
        var settings = new AskExpertSettings.Runs(Duration.ofSeconds(15), Duration.ofMinutes(15), Duration.ofHours(1),
                6000, 256);
        return new RunRegistry(events, new InProcessRunLock(Clock.systemUTC()), new InProcessCancelSignal(),
                new RunStore(dataSource), new ServiceInstances(dataSource, ProcessRole.WORKER, Duration.ofSeconds(30), false),
                settings, Clock.systemUTC(), () -> { });
    }
}
