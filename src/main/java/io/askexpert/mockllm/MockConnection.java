package io.askexpert.mockllm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
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
