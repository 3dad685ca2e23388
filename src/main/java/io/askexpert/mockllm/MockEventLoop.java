package io.askexpert.mockllm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One thread serves every connection: a selector for accepts, reads and pending writes, and a
 * timer queue ordered by the instant each response's next token is due. A token costs one
 * non-blocking write and no thread, which is what lets one core hold thousands of streams.
 */
final class MockEventLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(MockEventLoop.class);
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final MockLlmConfig config;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final PriorityQueue<MockStream> timers = new PriorityQueue<>();
    private final MockControl control;
    private final MockStats.Counters counters;
    private final MockScript script;
    private final MockRequestLog received;
    /** The filler's words: the built-in sentence, or one a test set with {@link MockLlmServer#answerWith}. */
    volatile String[] words = MockWire.WORDS;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean running = true;

    MockEventLoop(MockLlmConfig config, MockStats.Counters counters, MockScript script, MockRequestLog received)
            throws IOException {
        this.config = config;
        this.counters = counters;
        this.script = script;
        this.received = received;
        this.control = new MockControl(counters, script, received, json);
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", config.port()), 8192);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** A filler answer is the whole chosen text, or {@code answerTokens} words of the built-in sentence. */
    private int fillerTokens() {
        String[] filler = words;
        return filler == MockWire.WORDS ? config.answerTokens() : filler.length;
    }

    int port() {
        return server.socket().getLocalPort();
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                MockStream next = timers.peek();
                long waitNanos = next == null ? TimeUnit.SECONDS.toNanos(1) : next.dueNanos - System.nanoTime();
                if (waitNanos <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                }
                fireDue();
            }
        } catch (IOException | RuntimeException e) {
            log.error("mock LLM event loop stopped", e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof MockConnection c) {
                    c.close();
                }
            }
            try {
                server.close();
                selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }

    private void handle(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                SelectionKey k = channel.register(selector, SelectionKey.OP_READ);
                k.attach(new MockConnection(channel, k));
            }
            return;
        }
        MockConnection c = (MockConnection) key.attachment();
        if (key.isWritable() && !c.flush()) {
            clientGone(c);
            return;
        }
        if (key.isValid() && key.isReadable()) {
            c.ensureRoom();
            int n;
            try {
                n = c.channel.read(c.in);
            } catch (IOException e) {
                n = -1;
            }
            if (n < 0) {
                clientGone(c);
                c.close();
                return;
            }
            parseRequests(c);
        }
    }

    /** The client closed or reset: a response still running was abandoned (a cancel upstream). */
    private void clientGone(MockConnection c) {
        MockStream s = c.active;
        if (s != null && s.phase != MockStream.Phase.DONE) {
            s.phase = MockStream.Phase.DONE;
            counters.active.decrementAndGet();
            counters.clientClosed.increment();
            counters.lastClientClose.set(System.nanoTime());
            c.active = null;
        }
    }

    private void parseRequests(MockConnection c) {
        while (c.active == null && !c.closed) {
            MockRequest request = nextRequest(c);
            if (request == null) {
                return;
            }
            route(c, request);
        }
    }

    private @Nullable MockRequest nextRequest(MockConnection c) {
        ByteBuffer in = c.in;
        int headerEnd = indexOf(in.array(), in.position(), HEADER_END);
        if (headerEnd < 0) {
            if (in.position() >= MockConnection.MAX_REQUEST_BYTES) {
                c.respond(413, "application/json", "{\"error\":\"request too large\"}", false, Map.of());
            }
            return null;
        }
        String head = new String(in.array(), 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        int length;
        try {
            length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (requestLine.length < 2 || length < 0 || length > MockConnection.MAX_REQUEST_BYTES
                || headers.containsKey("transfer-encoding")) {
            c.respond(400, "application/json", "{\"error\":\"unsupported request framing\"}", false, Map.of());
            return null;
        }
        int total = headerEnd + 4 + length;
        if (in.position() < total) {
            return null;
        }
        byte[] body = new byte[length];
        System.arraycopy(in.array(), headerEnd + 4, body, 0, length);
        in.flip();
        in.position(total);
        in.compact();
        return new MockRequest(requestLine[0], requestLine[1].replaceFirst("\\?.*$", ""), headers, body);
    }

    private void route(MockConnection c, MockRequest request) {
        boolean keepAlive = !"close".equalsIgnoreCase(request.header("connection"));
        String path = request.path();
        if ("POST".equals(request.method()) && path.endsWith("/messages")) {
            if (request.header("x-api-key").isEmpty()) {
                c.respond(401, "application/json", new MockWire.Anthropic().error(401), keepAlive, Map.of());
                return;
            }
            generate(c, request, new MockWire.Anthropic(), keepAlive);
        } else if ("POST".equals(request.method()) && path.endsWith("/chat/completions")) {
            generate(c, request, new MockWire.OpenAi(), keepAlive);
        } else {
            MockControl.Reply reply = control.handle(request);
            c.respond(reply.status(), "application/json", reply.body(), keepAlive, Map.of());
        }
    }

    private void generate(MockConnection c, MockRequest request, MockWire wire, boolean keepAlive) {
        MockRequest.Generation g;
        try {
            g = request.generation(json, fillerTokens());
        } catch (RuntimeException e) {
            c.respond(400, "application/json", wire.error(400), keepAlive, Map.of());
            return;
        }
        counters.requests.increment();
        received.add(request.path(), request.body());
        MockScript.Planned planned = script.next(g);
        Fault fault = planned.fault();
        counters.fault(fault.label());
        if (fault instanceof Fault.Status s) {
            Map<String, String> extra = s.retryAfterSeconds() > 0
                    ? Map.of("retry-after", String.valueOf(s.retryAfterSeconds())) : Map.of();
            c.respond(s.status(), "application/json", wire.error(s.status()), keepAlive, extra);
            return;
        }
        long id = ids.incrementAndGet();
        boolean anthropic = wire instanceof MockWire.Anthropic;
        MockWire.Answer answer = new MockWire.Answer((anthropic ? "msg_mock_" : "chatcmpl-mock-") + id,
                g.model().replaceAll("[\"\\\\]", ""), g.inputTokens(), config.cacheReadTokens(),
                anthropic ? config.cacheWriteTokens() : 0, g.includeUsage(), Instant.now().getEpochSecond());
        ScriptedWire.Script scripted = switch (planned.reply()) {
            case MockReply.Filler f -> null;
            case MockReply.Scripted r -> ScriptedWire.build(wire, answer, id, r, json);
        };
        String[] filler = words;
        int fillerTokens = filler == MockWire.WORDS ? config.answerTokens() : filler.length;
        int total = scripted != null ? scripted.frames().size() : (int) Math.min(fillerTokens, g.maxTokens());
        boolean truncated = scripted == null && total < fillerTokens;
        long interval = TimeUnit.SECONDS.toNanos(1) / config.tokensPerSecond();
        long now = System.nanoTime();
        long ttft = config.ttft().toNanos();
        boolean stallFirst = fault instanceof Fault.StallFirst;
        MockStream stream;
        if (g.stream()) {
            stream = new MockStream(c, wire, filler, answer, fault, total, truncated, scripted, interval, keepAlive,
                    stallFirst ? MockStream.Phase.STALLED : MockStream.Phase.STREAMING,
                    now + (stallFirst ? config.stallLimit().toNanos() : ttft));
            c.send("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
                    + "transfer-encoding: chunked\r\nrequest-id: req_mock_" + id + "\r\n\r\n");
            String preamble = stream.preamble();
            if (!preamble.isEmpty()) {
                c.sendChunk(preamble);
            }
        } else {
            int after = switch (fault) {
                case Fault.CutAfter f -> Math.min(f.tokens(), total);
                default -> total;
            };
            boolean stalls = stallFirst || fault instanceof Fault.StallAfter;
            stream = new MockStream(c, wire, filler, answer, fault, total, truncated, scripted, interval, keepAlive,
                    stalls ? MockStream.Phase.STALLED : MockStream.Phase.WHOLE,
                    now + (stalls ? config.stallLimit().toNanos() : ttft + after * interval));
        }
        counters.active.incrementAndGet();
        counters.started.increment();
        c.active = stream;
        timers.add(stream);
    }

    private void fireDue() {
        long now = System.nanoTime();
        MockStream s;
        while ((s = timers.peek()) != null && s.dueNanos - now <= 0) {
            timers.poll();
            if (s.phase == MockStream.Phase.DONE || s.connection.closed) {
                continue;
            }
            switch (s.phase) {
                case STALLED -> finish(s, false, true);
                case WHOLE -> {
                    if (s.fault instanceof Fault.CutAfter) {
                        counters.cut.increment();
                        finish(s, false, true);
                    } else {
                        s.connection.respond(200, "application/json", s.whole(), s.keepAlive,
                                Map.of("request-id", "req_" + s.answer.id()));
                        finish(s, true, false);
                    }
                }
                case STREAMING -> token(s, now);
                case DONE -> { }
            }
        }
    }

    private void token(MockStream s, long now) {
        counters.lag(now - s.dueNanos, s.intervalNanos);
        s.connection.sendChunk(s.frame(s.sent));
        s.sent++;
        counters.frames.increment();
        if (s.connection.closed) {
            clientGone(s.connection);
            return;
        }
        if (s.sent == s.faultAfter() && s.fault instanceof Fault.CutAfter) {
            counters.cut.increment();
            finish(s, false, true);
        } else if (s.sent == s.faultAfter() && s.fault instanceof Fault.StallAfter) {
            s.phase = MockStream.Phase.STALLED;
            s.dueNanos = now + config.stallLimit().toNanos();
            timers.add(s);
        } else if (s.sent >= s.total) {
            s.connection.sendChunk(s.epilogue());
            s.connection.sendLastChunk();
            finish(s, true, !s.keepAlive);
        } else {
            s.dueNanos += s.intervalNanos;
            timers.add(s);
        }
    }

    /** Ends a response: completed normally, or closed (cut, stall limit) without its end. */
    private void finish(MockStream s, boolean completed, boolean closeConnection) {
        s.phase = MockStream.Phase.DONE;
        counters.active.decrementAndGet();
        if (completed) {
            counters.completed.increment();
        }
        MockConnection c = s.connection;
        c.active = null;
        if (closeConnection) {
            c.close();
        } else {
            parseRequests(c);
        }
    }

    private static int indexOf(byte[] data, int limit, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= limit; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
