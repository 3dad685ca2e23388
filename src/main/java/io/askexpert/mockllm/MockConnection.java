package io.askexpert.mockllm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One client connection on the event loop: bytes read so far, bytes waiting for the socket, and
 * the response in progress. Writes never block: what the socket cannot take now waits for
 * {@code OP_WRITE}.
 */
final class MockConnection {

    static final int MAX_REQUEST_BYTES = 4 << 20;

    final SocketChannel channel;
    final SelectionKey key;
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private final Deque<ByteBuffer> out = new ArrayDeque<>();
    @Nullable MockStream active;
    boolean closeWhenFlushed;
    boolean closed;

    MockConnection(SocketChannel channel, SelectionKey key) {
        this.channel = channel;
        this.key = key;
    }

    void ensureRoom() {
        if (!in.hasRemaining() && in.capacity() < MAX_REQUEST_BYTES) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_REQUEST_BYTES, in.capacity() * 2));
            in.flip();
            bigger.put(in);
            in = bigger;
        }
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One chunk of a {@code Transfer-Encoding: chunked} body. */
    void sendChunk(String payload) {
        sendChunk(payload.getBytes(StandardCharsets.UTF_8));
    }

    void sendChunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(data, 0, frame, head.length, data.length);
        frame[frame.length - 2] = '\r';
        frame[frame.length - 1] = '\n';
        send(frame);
    }

    void sendLastChunk() {
        send("0\r\n\r\n");
    }

    void send(byte[] bytes) {
        if (closed) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (out.isEmpty()) {
            try {
                channel.write(buffer);
            } catch (IOException e) {
                close();
                return;
            }
        }
        if (buffer.hasRemaining()) {
            out.addLast(buffer);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    /** Writes what waits; returns false when the connection was closed. */
    boolean flush() {
        try {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peekFirst();
                channel.write(head);
                if (head.hasRemaining()) {
                    return true;
                }
                out.removeFirst();
            }
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            if (closeWhenFlushed) {
                close();
                return false;
            }
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    boolean flushed() {
        return out.isEmpty();
    }

    /** A whole response with a {@code content-length} body; without keep-alive the connection closes once it is written. */
    void respond(int status, String contentType, String body, boolean keepAlive,
                         Map<String, String> extraHeaders) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\ncontent-type: ").append(contentType).append("\r\ncontent-length: ").append(bytes.length)
                .append("\r\n");
        extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (!keepAlive) {
            head.append("connection: close\r\n");
        }
        head.append("\r\n");
        send(head.toString());
        send(bytes);
        if (!keepAlive) {
            closeWhenFlushed = true;
            if (flushed()) {
                close();
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 529 -> "Overloaded";
            default -> "Status";
        };
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
