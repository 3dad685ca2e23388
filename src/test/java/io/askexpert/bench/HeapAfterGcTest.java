package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapAfterGcTest {

    @Test
    void the_heap_after_the_last_forced_full_collection_counts() {
        String log = """
                [0.016s][info][gc] Using Serial
                [3.1s][info][gc] GC(0) Pause Young (Allocation Failure) 101M->30M(365M) 12.1ms
                [3.558s][info][gc] GC(1) Pause Full (Diagnostic Command) 31M->2M(365M) 16.533ms
                [9.2s][info][gc] GC(2) Pause Young (Allocation Failure) 120M->40M(365M) 10.0ms
                [9.9s][info][gc] GC(3) Pause Full (Diagnostic Command) 80M->41M(371M) 120.5ms
                [10.2s][info][gc] GC(4) Pause Young (Allocation Failure) 140M->45M(371M) 9.0ms
                """;
        assertThat(HeapAfterGc.lastAfterKiB(log)).hasValue(41 * 1024);
    }

    @Test
    void older_jdks_name_the_cause_system_gc() {
        assertThat(HeapAfterGc.lastAfterKiB("[1s][info][gc] GC(7) Pause Full (System.gc()) 64M->12M(256M) 50ms"))
                .hasValue(12 * 1024);
    }

    @Test
    void a_log_without_a_forced_full_collection_is_empty() {
        assertThat(HeapAfterGc.lastAfterKiB("[3.1s][info][gc] GC(0) Pause Full (Allocation Failure) 101M->30M(365M)"))
                .isEmpty();
    }
}
