package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakSummaryTest {

    private static final BenchPlan.MockShape ANSWER = new BenchPlan.MockShape(Duration.ofMillis(500), 2, 50);

    private static SoakSummary summary(long answers, long tokens, Map<SoakStream.Failure, Long> failures,
                                       long heapStartKiB, long heapEndKiB) {
        return summary(answers, tokens, tokens, failures, heapStartKiB, heapEndKiB);
    }

    private static SoakSummary summary(long answers, long tokens, long mockFrames, Map<SoakStream.Failure, Long> failures,
                                       long heapStartKiB, long heapEndKiB) {
        return new SoakSummary("now", 1000, 30, ANSWER, 20, 999.5, 990, answers,
                answers - failures.values().stream().mapToLong(Long::longValue).sum(), tokens, failures, List.of(),
                mockFrames, answers, 100_000, 101_000,
                List.of(new SoakSummary.HeapSample(0.8, heapStartKiB, 1000), new SoakSummary.HeapSample(30, heapEndKiB, 1000)),
                700, 720, 900, List.of(3.0, 5.0));
    }

    @Test
    void passes_when_every_frame_arrived_no_server_error_and_the_heap_stayed_within_ten_percent() {
        SoakSummary s = summary(100, 5000, Map.of(), 200_000, 219_000);
        assertThat(s.passed()).isTrue();
        assertThat(s.text()).contains("SOAK PASSED").contains("load average (1 min): 3.00 - 5.00");
    }

    @Test
    void a_frame_the_mock_sent_that_did_not_arrive_or_an_answer_short_of_frames_is_a_lost_frame() {
        assertThat(summary(100, 4999, 5000, Map.of(), 200_000, 200_000).noLostFrames()).isFalse();
        SoakSummary gap = summary(100, 5000, Map.of(SoakStream.Failure.EVENT_ID_GAP, 1L), 200_000, 200_000);
        assertThat(gap.noLostFrames()).isFalse();
        assertThat(gap.noServerErrors()).isTrue();
        assertThat(gap.text()).contains("SOAK FAILED");
    }

    @Test
    void a_503_or_an_error_event_is_a_server_error_not_a_lost_frame() {
        // The refused answer never reached the mock: 99 answers' frames sent, all received.
        SoakSummary s = summary(100, 4950, 4950, Map.of(SoakStream.Failure.HTTP_5XX, 1L), 200_000, 200_000);
        assertThat(s.serverErrors()).isEqualTo(1);
        assertThat(s.lostFrameAnswers()).isZero();
        assertThat(s.noLostFrames()).isTrue();
        assertThat(s.passed()).isFalse();
    }

    @Test
    void heap_growing_more_than_ten_percent_fails() {
        SoakSummary s = summary(100, 5000, Map.of(), 200_000, 221_000);
        assertThat(s.heapRatio()).isEqualTo(1.105);
        assertThat(s.flatHeap()).isFalse();
    }
}
