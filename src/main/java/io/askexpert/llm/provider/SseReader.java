package io.askexpert.llm.provider;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events ({@code event:} and {@code data:} lines up to a blank line) straight
 * from the response bytes: the current event's data is a view into one reused buffer, handed to
 * the JSON parser as bytes, so an event costs no line strings and no character decoding. Measured
 * with {@code bench.LlmClientOverhead}: a 64-token answer read through a {@code BufferedReader}
 * and a JSON tree per event allocated 245 KiB; see docs/LLM.md for the numbers after.
 */
final class SseReader implements Closeable {

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
    /** An event larger than this is not a provider's: the stream is treated as broken. */
    private static final int MAX_EVENT = 16 << 20;

    private final InputStream in;
    private byte[] buf = new byte[4096];
    /** Bytes [consumed, end) are read and not yet part of a returned event. */
    private int consumed;
    private int end;
    private int nameStart;
    private int nameLength;
    private int dataStart;
    private int dataLength;
    /** Set when an event has several {@code data:} lines, joined with {@code \n}. */
    private byte[] joined;

    SseReader(InputStream body) {
        this.in = body;
    }

    /** Advances to the next event that has data; false at the end of the stream. */
    boolean next() throws IOException {
        if (consumed > 0) {
            System.arraycopy(buf, consumed, buf, 0, end - consumed);
            end -= consumed;
            consumed = 0;
        }
        nameLength = 0;
        dataLength = -1;
        joined = null;
        int line = 0;
        while (true) {
            int newline = indexOf((byte) '\n', line);
            if (newline < 0) {
                if (!fill()) {
                    consumed = end;
                    if (line < end) {
                        parseLine(line, end);
                    }
                    return dataLength >= 0;
                }
                continue;
            }
            int lineEnd = newline > line && buf[newline - 1] == '\r' ? newline - 1 : newline;
            if (lineEnd == line) {
                if (dataLength >= 0) {
                    consumed = newline + 1;
                    return true;
                }
                nameLength = 0;
            } else {
                parseLine(line, lineEnd);
            }
            line = newline + 1;
        }
    }

    /** The event's name; empty for unnamed events (OpenAI's chunks). */
    String name() {
        return nameLength == 0 ? "" : new String(buf, nameStart, nameLength, StandardCharsets.UTF_8);
    }

    byte[] data() {
        return joined != null ? joined : buf;
    }

    int dataOffset() {
        return joined != null ? 0 : dataStart;
    }

    int dataLength() {
        return joined != null ? joined.length : dataLength;
    }

    boolean dataIs(byte[] literal) {
        return Arrays.equals(data(), dataOffset(), dataOffset() + dataLength(), literal, 0, literal.length);
    }

    private void parseLine(int start, int lineEnd) {
        if (startsWith(start, lineEnd, DATA)) {
            int value = skipOneSpace(start + DATA.length, lineEnd);
            if (dataLength < 0) {
                dataStart = value;
                dataLength = lineEnd - value;
            } else {
                byte[] previous = data();
                int offset = dataOffset();
                int length = dataLength();
                byte[] more = new byte[length + 1 + lineEnd - value];
                System.arraycopy(previous, offset, more, 0, length);
                more[length] = '\n';
                System.arraycopy(buf, value, more, length + 1, lineEnd - value);
                joined = more;
            }
        } else if (startsWith(start, lineEnd, EVENT)) {
            nameStart = skipOneSpace(start + EVENT.length, lineEnd);
            nameLength = lineEnd - nameStart;
        }
        // id:, retry: and comments carry nothing a provider stream needs
    }

    private boolean startsWith(int start, int lineEnd, byte[] prefix) {
        return lineEnd - start >= prefix.length
                && Arrays.equals(buf, start, start + prefix.length, prefix, 0, prefix.length);
    }

    private int skipOneSpace(int value, int lineEnd) {
        return value < lineEnd && buf[value] == ' ' ? value + 1 : value;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Reads more bytes after {@code end}, growing the buffer when an event fills it; false at the end. */
    private boolean fill() throws IOException {
        if (end == buf.length) {
            if (buf.length >= MAX_EVENT) {
                throw new IOException("server-sent event larger than " + MAX_EVENT + " bytes");
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
