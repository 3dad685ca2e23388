package io.askexpert.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Opens N concurrent SSE streams, one virtual thread each, and records per stream the time to
 * first byte, to first token frame, every gap between token frames, and whether a terminal event
 * arrived. It parses SSE itself (LF framing, {@code event:}/{@code data:} lines) so the same code
 * reads the service's events and the providers' wire formats.
 */
public final class SseLoadGenerator {

    private final HttpClient client;

    public SseLoadGenerator() {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public LoadReport run(String name, LoadSpec spec) {
        long start = System.nanoTime();
        List<StreamResult> results = new ArrayList<>(spec.streams());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<StreamResult>>> futures = new ArrayList<>(spec.streams());
            long rampNanos = spec.rampUp().toNanos();
            for (int i = 0; i < spec.streams(); i++) {
                long startAt = start + (spec.streams() == 1 ? 0 : rampNanos * i / (spec.streams() - 1));
                futures.add(executor.submit(() -> {
                    waitUntil(startAt);
                    List<StreamResult> mine = new ArrayList<>(spec.rounds());
                    for (int r = 0; r < spec.rounds(); r++) {
                        mine.add(oneStream(spec));
                    }
                    return mine;
                }));
            }
            Duration limit = spec.timeout().multipliedBy(spec.rounds()).plus(spec.rampUp()).plusSeconds(5);
            for (Future<List<StreamResult>> f : futures) {
                results.addAll(await(f, limit, spec.rounds()));
            }
        }
        return LoadReport.of(name, spec, results, (System.nanoTime() - start) / 1e9);
    }

    private static List<StreamResult> await(Future<List<StreamResult>> future, Duration limit, int rounds) {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            future.cancel(true);
            StreamResult missing = new StreamResult(-1, -1, limit.toNanos(), 0, new long[0], 0, false,
                    "no result: " + e.getClass().getSimpleName());
            return java.util.Collections.nCopies(rounds, missing);
        }
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    StreamResult oneStream(LoadSpec spec) {
        HttpRequest.Builder request = HttpRequest.newBuilder(spec.url())
                .timeout(spec.timeout())
                .header("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec.body()));
        spec.headers().forEach(request::header);
        long sent = System.nanoTime();
        long firstByte = -1;
        long firstToken = -1;
        long lastToken = -1;
        long maxGap = 0;
        long[] gaps = new long[Math.max(16, spec.expectedTokens())];
        int tokens = 0;
        boolean completed = false;
        String error = null;
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            firstByte = System.nanoTime() - sent;
            if (response.statusCode() != 200) {
                try (InputStream body = response.body()) {
                    body.readNBytes(2048);
                }
                error = "HTTP " + response.statusCode();
            } else {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8), 8192)) {
                    String event = "";
                    String line;
                    while ((line = reader.readLine()) != null) {
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
                                        gaps = java.util.Arrays.copyOf(gaps, gaps.length * 2);
                                    }
                                    gaps[tokens - 1] = gap;
                                }
                                lastToken = now;
                                tokens++;
                            }
                        } else if (line.isEmpty()) {
                            event = "";
                        }
                        if (completed) {
                            break;
                        }
                    }
                }
            }
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + truncate(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        if (!completed && error == null) {
            error = "stream ended without a terminal event";
        }
        int gapCount = Math.max(0, tokens - 1);
        return new StreamResult(firstByte, firstToken, System.nanoTime() - sent, maxGap,
                java.util.Arrays.copyOf(gaps, gapCount), tokens, completed, error);
    }

    private static String truncate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
