package io.askexpert.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A blocking HTTP/1.1 client connection for one virtual thread: write a POST, read the status and
 * headers, then the body line by line through chunked or fixed-length framing. At thousands of
 * streams a virtual thread parked in a socket read costs one wake-up per frame, where the JDK
 * HttpClient adds a selector thread and two hand-offs; the generator must stay far lighter than
 * what it measures. A connection is reused for the next request when the server allows it.
 */
final class SseConnection implements AutoCloseable {

    private static final int MAX_LINE = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String authority;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[512];
    private boolean chunked;
    private long remaining;
    private boolean firstChunk;
    private boolean bodyDone;
    private boolean reusable;

    private SseConnection(Socket socket, String authority) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.authority = authority;
    }

    /**
     * No read timeout on the socket: a timed read arms a timer per frame, which at thousands of
     * streams is most of the generator's work. A stalled stream ends when the generator's deadline
     * interrupts its virtual thread, which closes the socket.
     */
    static SseConnection open(URI uri, Duration connectTimeout) throws IOException {
        return open(uri, connectTimeout, Duration.ZERO);
    }

    /** As {@link #open(URI, Duration)}, with a read timeout for one-answer exchanges (zero: none). */
    static SseConnection open(URI uri, Duration connectTimeout, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) connectTimeout.toMillis());
            return new SseConnection(socket, uri.getHost() + ":" + uri.getPort());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Whether the last response ended cleanly and the server keeps the connection open. */
    boolean reusable() {
        return reusable && !socket.isClosed();
    }

    /** Sends a POST and reads up to the end of the response headers; returns the status code. */
    int post(URI uri, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder request = new StringBuilder(256).append("POST ").append(uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\nHost: ")
                .append(authority).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();

        String status = headerLine();
        if (status == null || !status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        chunked = false;
        remaining = -1;
        boolean keepAlive = true;
        for (String h = headerLine(); h != null && !h.isEmpty(); h = headerLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "content-length" -> remaining = Long.parseLong(value);
                case "connection" -> keepAlive = !value.contains("close");
                default -> { }
            }
        }
        firstChunk = true;
        bodyDone = !chunked && remaining == 0;
        reusable = keepAlive && (chunked || remaining >= 0);
        if (chunked) {
            remaining = 0;
        }
        return code;
    }

    /** The next body line without its line ending, or null at the end of the body. */
    @Nullable String bodyLine() throws IOException {
        int n = 0;
        while (true) {
            int b = bodyByte();
            if (b < 0) {
                return n == 0 ? null : new String(line, 0, n, StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return new String(line, 0, n > 0 && line[n - 1] == '\r' ? n - 1 : n, StandardCharsets.UTF_8);
            }
            if (n == line.length) {
                if (n >= MAX_LINE) {
                    throw new IOException("body line longer than " + MAX_LINE + " bytes");
                }
                line = Arrays.copyOf(line, n * 2);
            }
            line[n++] = (byte) b;
        }
    }

    /** The whole body (a JSON answer rather than a stream). */
    byte[] body() throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(4096);
        for (int b = bodyByte(); b >= 0; b = bodyByte()) {
            all.write(b);
        }
        return all.toByteArray();
    }

    /** Reads what is left of the body so the connection can carry the next request. */
    void finishBody() throws IOException {
        while (bodyByte() >= 0) {
            // discard
        }
    }

    private int bodyByte() throws IOException {
        if (bodyDone) {
            return -1;
        }
        if (chunked && remaining == 0) {
            if (!firstChunk) {
                headerLine();
            }
            firstChunk = false;
            String size = headerLine();
            if (size == null) {
                return endOfBody(false);
            }
            int semicolon = size.indexOf(';');
            remaining = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            if (remaining == 0) {
                for (String trailer = headerLine(); trailer != null && !trailer.isEmpty(); trailer = headerLine()) {
                    // trailers are not used
                }
                return endOfBody(true);
            }
        }
        if (!chunked && remaining == 0) {
            return endOfBody(true);
        }
        int b = rawByte();
        if (b < 0) {
            return endOfBody(false);
        }
        if (remaining > 0) {
            remaining--;
        }
        return b;
    }

    private int endOfBody(boolean clean) {
        bodyDone = true;
        reusable &= clean;
        return -1;
    }

    private @Nullable String headerLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = rawByte();
            if (b < 0) {
                return sb.isEmpty() ? null : sb.toString();
            }
            if (b == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("header line too long");
            }
            sb.append((char) b);
        }
    }

    private int rawByte() throws IOException {
        if (pos == limit) {
            int n = in.read(buf);
            if (n <= 0) {
                return -1;
            }
            pos = 0;
            limit = n;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
