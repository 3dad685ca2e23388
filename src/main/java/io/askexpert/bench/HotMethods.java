package io.askexpert.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a Flight Recorder file: which methods the service's CPU samples land in. Two views:
 * the top frame (where the cycles burn) and the project's own frames anywhere on the stack (which
 * of our code paths cause them).
 */
final class HotMethods {

    static final String PROJECT = "io.askexpert.";

    private HotMethods() {
    }

    static List<BenchSummary.HotMethod> summarize(Path jfr, int limit) throws IOException {
        if (!Files.isRegularFile(jfr)) {
            return List.of();
        }
        List<List<String>> stacks = new ArrayList<>();
        try (RecordingFile recording = new RecordingFile(jfr)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                    stacks.add(event.getStackTrace().getFrames().stream().map(HotMethods::name).toList());
                }
            }
        }
        return rank(stacks, limit);
    }

    /** Stacks are innermost frame first, as the recorder stores them. */
    static List<BenchSummary.HotMethod> rank(List<List<String>> stacks, int limit) {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        for (List<String> stack : stacks) {
            if (stack.isEmpty()) {
                continue;
            }
            self.merge(stack.getFirst(), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (String frame : stack) {
                if (frame.startsWith(PROJECT) && seen.add(frame)) {
                    inclusive.merge(frame, 1L, Long::sum);
                }
            }
        }
        long total = Math.max(1, stacks.size());
        List<BenchSummary.HotMethod> result = new ArrayList<>();
        top(self, limit).forEach(e -> result.add(new BenchSummary.HotMethod("self", e.getKey(), e.getValue(),
                percent(e.getValue(), total))));
        top(inclusive, limit).forEach(e -> result.add(new BenchSummary.HotMethod("project, inclusive", e.getKey(),
                e.getValue(), percent(e.getValue(), total))));
        return result;
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).toList();
    }

    private static double percent(long part, long total) {
        return Math.round(1000.0 * part / total) / 10.0;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
