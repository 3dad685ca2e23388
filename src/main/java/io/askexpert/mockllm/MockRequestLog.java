package io.askexpert.mockllm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@value #CAPACITY} model requests the mock received, so a test can assert what a client
 * sent (for example tool results in the provider's format). Keeping a reference to each body is
 * the whole cost per request: bodies are decoded only when read.
 */
final class MockRequestLog {

    static final int CAPACITY = 256;

    private record Entry(String path, byte[] body) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized void add(String path, byte[] body) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(path, body));
    }

    synchronized void clear() {
        entries.clear();
    }

    synchronized List<MockLlmServer.Received> snapshot() {
        List<MockLlmServer.Received> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(new MockLlmServer.Received(e.path(), new String(e.body(), StandardCharsets.UTF_8)));
        }
        return out;
    }
}
