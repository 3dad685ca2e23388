package io.askexpert.observability;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the spans out of an OTLP/HTTP protobuf body (ExportTraceServiceRequest), as Langfuse
 * receives it: name, ids and attributes. Only the protobuf wire format is needed for that, so the
 * test reads it directly instead of pulling in the generated OTLP classes.
 */
final class OtlpRequest {

    record Span(String traceId, String spanId, String parentSpanId, String name, Map<String, Object> attributes) {
    }

    private OtlpRequest() {
    }

    static List<Span> spans(byte[] body) {
        List<Span> spans = new ArrayList<>();
        for (byte[] resourceSpans : messages(body, 1)) {
            for (byte[] scopeSpans : messages(resourceSpans, 2)) {
                for (byte[] span : messages(scopeSpans, 2)) {
                    Map<Integer, List<Object>> f = fields(span);
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    for (Object kv : f.getOrDefault(9, List.of())) {
                        Map<Integer, List<Object>> pair = fields((byte[]) kv);
                        attributes.put(string(pair.get(1).getFirst()), anyValue((byte[]) pair.get(2).getFirst()));
                    }
                    spans.add(new Span(hex(f, 1), hex(f, 2), hex(f, 4), string(f.get(5).getFirst()), attributes));
                }
            }
        }
        return spans;
    }

    private static Object anyValue(byte[] value) {
        Map<Integer, List<Object>> f = fields(value);
        if (f.containsKey(1)) {
            return string(f.get(1).getFirst());
        }
        if (f.containsKey(2)) {
            return ((Long) f.get(2).getFirst()) != 0;
        }
        if (f.containsKey(3)) {
            return f.get(3).getFirst();
        }
        if (f.containsKey(4)) {
            return Double.longBitsToDouble((Long) f.get(4).getFirst());
        }
        return f.toString();
    }

    private static List<byte[]> messages(byte[] message, int field) {
        return fields(message).getOrDefault(field, List.of()).stream().map(o -> (byte[]) o).toList();
    }

    private static String hex(Map<Integer, List<Object>> f, int field) {
        return f.containsKey(field) ? HexFormat.of().formatHex((byte[]) f.get(field).getFirst()) : "";
    }

    private static String string(Object bytes) {
        return new String((byte[]) bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Field number → values: varints and fixed numbers as Long, length-delimited ones as bytes. */
    static Map<Integer, List<Object>> fields(byte[] b) {
        Map<Integer, List<Object>> out = new LinkedHashMap<>();
        int[] pos = {0};
        while (pos[0] < b.length) {
            long tag = varint(b, pos);
            int field = (int) (tag >>> 3);
            Object value = switch ((int) (tag & 7)) {
                case 0 -> varint(b, pos);
                case 1 -> fixed(b, pos, 8);
                case 5 -> fixed(b, pos, 4);
                case 2 -> {
                    int length = (int) varint(b, pos);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    bytes.write(b, pos[0], length);
                    pos[0] += length;
                    yield bytes.toByteArray();
                }
                default -> throw new IllegalArgumentException("unsupported wire type in field " + field);
            };
            out.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos) {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            byte next = b[pos[0]++];
            result |= (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                return result;
            }
        }
    }

    private static long fixed(byte[] b, int[] pos, int size) {
        long result = 0;
        for (int i = 0; i < size; i++) {
            result |= (long) (b[pos[0]++] & 0xff) << (8 * i);
        }
        return result;
    }
}
