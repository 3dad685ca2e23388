package io.askexpert.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Opens N concurrent SSE streams, one virtual thread each, and records per stream the time to
 * first byte, to first token frame, every gap between token frames, and whether a terminal event
 * arrived. It parses SSE itself (LF framing, {@code event:}/{@code data:} lines) so the same code
 * reads the service's events and the providers' wire formats. Each virtual thread owns one
 * keep-alive connection ({@link SseConnection}) for its rounds.
 */
public final class SseLoadGenerator {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public LoadReport run(String name, LoadSpec spec) {
        long start = System.nanoTime();
        List<StreamResult> results = new ArrayList<>(spec.streams() * spec.rounds());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<StreamResult>>> futures = new ArrayList<>(spec.streams());
            long rampNanos = spec.rampUp().toNanos();
            for (int i = 0; i < spec.streams(); i++) {
                long startAt = start + (spec.streams() == 1 ? 0 : rampNanos * i / (spec.streams() - 1));
                futures.add(executor.submit(() -> {
                    waitUntil(startAt);
                    return rounds(spec);
                }));
            }
            long deadline = start + spec.timeout().multipliedBy(spec.rounds()).plus(spec.rampUp()).plusSeconds(5).toNanos();
            for (Future<List<StreamResult>> f : futures) {
                results.addAll(await(f, deadline, spec.rounds() - spec.warmRounds()));
            }
        }
        return LoadReport.of(name, spec, results, (System.nanoTime() - start) / 1e9);
    }

    /** A stream still running at the run's deadline is interrupted, which closes its socket. */
    private static List<StreamResult> await(Future<List<StreamResult>> future, long deadline, int rounds) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            future.cancel(true);
            StreamResult missing = new StreamResult(-1, -1, -1, 0, new long[0], 0, false,
                    e instanceof java.util.concurrent.TimeoutException ? "timed out" : "no result: " + e.getClass().getSimpleName());
            return Collections.nCopies(rounds, missing);
        }
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static List<StreamResult> rounds(LoadSpec spec) {
        List<StreamResult> mine = new ArrayList<>(spec.rounds());
        SseConnection[] connection = {null};
        try {
            for (int r = 0; r < spec.rounds(); r++) {
                StreamResult result = oneStream(spec, connection);
                if (r >= spec.warmRounds()) {
                    mine.add(result);
                }
            }
        } finally {
            if (connection[0] != null) {
                connection[0].close();
            }
        }
        return mine;
    }

    /** One request; {@code connection[0]} is reused when open and left open for the next when reusable. */
    private static StreamResult oneStream(LoadSpec spec, @Nullable SseConnection[] connection) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        headers.put("Content-Type", "application/json");
        headers.putAll(spec.headers());
        byte[] body = spec.body().getBytes(StandardCharsets.UTF_8);
        long sent = System.nanoTime();
        long deadline = sent + spec.timeout().toNanos();
        long firstByte = -1;
        long firstToken = -1;
        long lastToken = -1;
        long maxGap = 0;
        long[] gaps = new long[Math.max(16, spec.expectedTokens())];
        int tokens = 0;
        boolean completed = false;
        String error = null;
        SseConnection c = connection[0];
        try {
            if (c == null || !c.reusable()) {
                if (c != null) {
                    c.close();
                }
                c = SseConnection.open(spec.url(), CONNECT_TIMEOUT);
                connection[0] = c;
            }
            int status = c.post(spec.url(), headers, body);
            firstByte = System.nanoTime() - sent;
            if (status != 200) {
                c.finishBody();
                error = "HTTP " + status;
            } else {
                String event = "";
                String line;
                while ((line = c.bodyLine()) != null) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        String data = line.substring(5).strip();
                        if (spec.terminalEvents().contains(event) || spec.terminalEvents().contains(data)) {
                            completed = true;
                            if (event.equals("error")) {
                                error = "error event: " + truncate(data);
                            }
                        } else if (spec.tokenEvents().contains(event)) {
                            long now = System.nanoTime() - sent;
                            if (firstToken < 0) {
                                firstToken = now;
                            } else {
                                long gap = now - lastToken;
                                maxGap = Math.max(maxGap, gap);
                                if (tokens - 1 >= gaps.length) {
                                    gaps = Arrays.copyOf(gaps, gaps.length * 2);
                                }
                                gaps[tokens - 1] = gap;
                            }
                            lastToken = now;
                            tokens++;
                        }
                    } else if (line.isEmpty()) {
                        event = "";
                    }
                    if (completed || System.nanoTime() > deadline) {
                        break;
                    }
                }
                long total = System.nanoTime() - sent;
                if (completed) {
                    // The rest of the body (normally just its end) frees the connection for the next round.
                    c.finishBody();
                } else {
                    c.close();
                }
                return result(firstByte, firstToken, total, maxGap, gaps, tokens, completed,
                        error == null && !completed ? (total > spec.timeout().toNanos() ? "timed out"
                                : "stream ended without a terminal event") : error);
            }
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                c.close();
            }
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + truncate(e.getMessage()));
        }
        return result(firstByte, firstToken, System.nanoTime() - sent, maxGap, gaps, tokens, completed, error);
    }

    private static StreamResult result(long firstByte, long firstToken, long total, long maxGap, long[] gaps, int tokens,
                                       boolean completed, @Nullable String error) {
        String why = !completed && error == null ? "stream ended without a terminal event" : error;
        return new StreamResult(firstByte, firstToken, total, maxGap, Arrays.copyOf(gaps, Math.max(0, tokens - 1)), tokens,
                completed, why);
    }

    private static String truncate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
