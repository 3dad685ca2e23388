package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link EventLog} promises; one subclass per backend supplies the log. */
abstract class EventLogContract {

    /** A fresh, empty log. */
    abstract EventLog log();

    private final String run = "run_" + UUID.randomUUID();

    @Test
    void ids_start_at_one_and_grow_by_one() {
        EventLog log = log();
        assertThat(log.append(run, new RunEvent.Token("a", 0)).id()).isEqualTo(1);
        assertThat(log.append(run, new RunEvent.Token("b", 1)).id()).isEqualTo(2);
        assertThat(log.append("other-" + run, new RunEvent.Token("x", 0)).id()).isEqualTo(1);
    }

    @Test
    void replays_events_after_last_event_id_with_the_bytes_appended() {
        EventLog log = log();
        for (int i = 0; i < 5; i++) {
            log.append(run, new RunEvent.Token("t" + i, i));
        }
        List<Sequenced> after2 = log.readAfter(run, 2, 100, Duration.ZERO);
        assertThat(after2).extracting(Sequenced::id).containsExactly(3L, 4L, 5L);
        assertThat(after2.getFirst().event()).isEqualTo("token");
        assertThat(after2.getFirst().data()).isEqualTo("{\"content\":\"t2\",\"tokenIndex\":2}");
        assertThat(log.readAfter(run, 0, 2, Duration.ZERO)).extracting(Sequenced::id).containsExactly(1L, 2L);
        assertThat(log.readAfter(run, 5, 100, Duration.ZERO)).isEmpty();
        assertThat(log.readAfter("no-such-" + run, 0, 100, Duration.ZERO)).isEmpty();
    }

    @Test
    void a_waiting_reader_gets_the_next_event_when_it_is_appended() throws Exception {
        EventLog log = log();
        log.append(run, new RunEvent.Token("first", 0));
        CompletableFuture<List<Sequenced>> next = CompletableFuture.supplyAsync(
                () -> log.readAfter(run, 1, 10, Duration.ofSeconds(10)));
        Thread.sleep(100);
        assertThat(next).isNotDone();
        log.append(run, new RunEvent.Token("second", 1));
        assertThat(next.get()).extracting(Sequenced::id).containsExactly(2L);
    }

    @Test
    void a_reader_that_waits_for_nothing_gets_an_empty_list() {
        assertThat(log().readAfter(run, 0, 10, Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void concurrent_appends_leave_no_gap_and_no_duplicate() throws Exception {
        EventLog log = log();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Sequenced>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                all.add(CompletableFuture.supplyAsync(() -> log.append(run, new RunEvent.Token("x", n)), pool));
            }
            assertThat(all.stream().map(CompletableFuture::join).map(Sequenced::id).sorted().toList())
                    .isEqualTo(IntStream.rangeClosed(1, 200).mapToObj(i -> (long) i).toList());
        }
        List<Sequenced> read = new ArrayList<>();
        long after = 0;
        while (read.size() < 200) {
            List<Sequenced> batch = log.readAfter(run, after, 37, Duration.ZERO);
            read.addAll(batch);
            after = batch.getLast().id();
        }
        assertThat(read).extracting(Sequenced::id)
                .isEqualTo(IntStream.rangeClosed(1, 200).mapToObj(i -> (long) i).toList());
    }

    @Test
    void a_retained_run_is_still_readable() {
        EventLog log = log();
        log.append(run, new RunEvent.Failed("LLM_ERROR", "provider failed", true, 1000L));
        log.retain(run, Duration.ofMinutes(10));
        List<Sequenced> events = log.readAfter(run, 0, 10, Duration.ZERO);
        assertThat(events).singleElement().satisfies(s -> {
            assertThat(s.terminal()).isTrue();
            assertThat(s.event()).isEqualTo("error");
        });
    }

    @Test
    void append_once_appends_a_key_once_also_from_concurrent_writers() throws Exception {
        EventLog log = log();
        log.append(run, new RunEvent.Token("before", 0));
        List<CompletableFuture<Sequenced>> tries = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                tries.add(CompletableFuture.supplyAsync(
                        () -> log.appendOnce(run, "mission/1", new RunEvent.Token("announced", 1)), pool));
            }
        }
        assertThat(tries.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull))
                .singleElement().satisfies(s -> assertThat(s.id()).isEqualTo(2));
        assertThat(log.appendOnce(run, "mission/2", new RunEvent.Token("next", 2))).isNotNull();
        assertThat(log.appendOnce("another-" + run, "mission/1", new RunEvent.Token("other run", 1)))
                .as("keys are per run").isNotNull();
        assertThat(log.readAfter(run, 0, 10, Duration.ZERO)).extracting(Sequenced::id).containsExactly(1L, 2L, 3L);
    }
}
