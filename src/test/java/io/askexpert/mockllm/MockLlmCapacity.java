package io.askexpert.mockllm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Capacity benchmark of the mock (not a test): opens N concurrent Anthropic streams over plain
 * sockets, one virtual thread each, and reports per-stream time to first token, the largest gap
 * between tokens, tokens lost, and the mock's own lag statistics. Run against a mock started
 * with {@code ask-expert mock-llm}:
 * {@code java -cp target/classes:target/test-classes:<deps> io.askexpert.mockllm.MockLlmCapacity PORT STREAMS TOKENS}.
 */
public final class MockLlmCapacity {

    private MockLlmCapacity() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int streams = Integer.parseInt(args[1]);
        int expected = Integer.parseInt(args[2]);
        long rampMillis = args.length > 3 ? Long.parseLong(args[3]) : 2000;
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_mock/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String body = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":4096,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"What does FDA expect in the CMC section of an IND?\"}]}";
        byte[] request = ("POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                + "x-api-key: bench\r\nanthropic-version: 2023-06-01\r\ncontent-length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
        double[] ttft = new double[streams];
        double[] maxGap = new double[streams];
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(streams);
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            int n = i;
            long delay = rampMillis * i / streams;
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(delay);
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        OutputStream out = socket.getOutputStream();
                        long sent = System.nanoTime();
                        out.write(request);
                        out.flush();
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.UTF_8));
                        String line;
                        int tokens = 0;
                        long last = 0;
                        while ((line = in.readLine()) != null) {
                            if (line.equals("event: content_block_delta")) {
                                long now = System.nanoTime();
                                if (tokens == 0) {
                                    ttft[n] = (now - sent) / 1e6;
                                } else {
                                    maxGap[n] = Math.max(maxGap[n], (now - last) / 1e6);
                                }
                                last = now;
                                tokens++;
                            } else if (line.equals("event: message_stop")) {
                                break;
                            }
                        }
                        if (tokens != expected) {
                            lost.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        String stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_mock/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        System.out.printf("%d streams x %d tokens in %.1f s: errors %d, streams with lost tokens %d%n",
                streams, expected, seconds, errors.get(), lost.get());
        System.out.printf("client TTFT ms p50 %.1f p99 %.1f max %.1f; largest gap per stream ms p50 %.1f p99 %.1f max %.1f%n",
                pct(ttft, 50), pct(ttft, 99), pct(ttft, 100), pct(maxGap, 50), pct(maxGap, 99), pct(maxGap, 100));
        System.out.println("mock: " + stats);
    }

    private static double pct(double[] values, int p) {
        List<Double> sorted = new ArrayList<>(Arrays.stream(values).boxed().toList());
        sorted.sort(null);
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i));
    }
}
