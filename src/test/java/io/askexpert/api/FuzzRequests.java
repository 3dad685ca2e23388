package io.askexpert.api;

import io.askexpert.testsupport.RawExchange;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Requests generated from the service's own OpenAPI document: every operation in turn, each
 * parameter and body field either plausible or hostile (NUL, invalid UTF-8, invisible and bidi
 * characters, lone surrogates, huge and negative numbers, wrong JSON types, deep nesting, long
 * and broken headers), for a caller chosen among the actors a real deployment sees. A hand-made
 * generator rather than a property-testing library: the properties checked are per response
 * (never a 5xx, always the envelope), so shrinking has nothing to shrink, and a seed reproduces
 * a run exactly.
 */
final class FuzzRequests {

    /** Strings a careless or hostile client sends. */
    static final List<String> HOSTILE = List.of("\u0000", "a\u0000b", "\u00a0\u200b\u202e", "\u202eevil\u202c",
            "\u200b\u200b\u200b\u200b\u200b\u200b", "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0", "", " ", "\t\n\r",
            "../../etc/passwd", "' OR 1=1 --", "%00", "<script>alert(1)</script>", "😀😀😀😀😀", "１２３", "NaN",
            "-1", "99999999999999999999999", "1e309", "null", "{\"a\":1}", "\\", "\"", "x".repeat(20_000),
            "é".repeat(3_000), "\uFEFFbom", "\u0007\u001b[31m");
    static final List<Object> HOSTILE_NUMBERS = List.of(-1, 0, -2147483649L, 2147483648L, Long.MIN_VALUE,
            new java.math.BigInteger("123456789012345678901234567890"), 1.5, -0.0, 1e308, 10.5, 4.9e-324);

    /** A JSON value written as is (a lone surrogate escape, a number JSON allows but Java does not hold). */
    record Raw(String json) {
    }

    private final JsonNode api;
    private final List<String[]> operations = new ArrayList<>();
    private final Map<String, Supplier<String>> actors;
    private final Random random;
    private int next;

    FuzzRequests(JsonNode api, Map<String, Supplier<String>> actors, long seed) {
        this.api = api;
        this.actors = actors;
        this.random = new Random(seed);
        for (Map.Entry<String, JsonNode> path : api.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                operations.add(new String[] {op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey()});
            }
        }
    }

    int operationCount() {
        return operations.size();
    }

    /** The next request: operations in turn, so every route is covered every {@link #operationCount()} requests. */
    synchronized RawExchange.Request next() {
        String[] op = operations.get(next++ % operations.size());
        JsonNode operation = api.get("paths").get(op[1]).get(op[0].toLowerCase(java.util.Locale.ROOT));
        String method = chance(0.02) ? pick(List.of("PUT", "TRACE", "OPTIONS", "HEAD", "PATCH", "BREW")) : op[0];
        String path = op[1];
        StringBuilder query = new StringBuilder();
        List<String[]> headers = new ArrayList<>();
        for (JsonNode p : iterable(operation.get("parameters"))) {
            String name = p.get("name").asString();
            String in = p.get("in").asString();
            switch (in) {
                case "path" -> path = path.replace("{" + name + "}", pathValue(name));
                case "query" -> {
                    if (chance(0.6)) {
                        query.append(query.isEmpty() ? "" : "&").append(encode(name)).append('=')
                                .append(queryValue(p.get("schema")));
                    }
                }
                case "header" -> {
                    if (chance(0.3)) {
                        headers.add(new String[] {name, headerValue(name)});
                    }
                }
                default -> { }
            }
        }
        if (chance(0.05)) {
            query.append(query.isEmpty() ? "" : "&").append(pick(List.of("q=%C3%28", "x=%FF%FE", "level=%20", "limit=%00",
                    "a=%G1", "offset=-9999999999", "unknown=1&unknown=2", "after=%E2%80%AE1")));
        }
        String auth = pick(new ArrayList<>(actors.keySet()));
        if (!auth.equals("none")) {
            headers.add(new String[] {"Authorization", actors.get(auth).get()});
        }
        byte[] body = new byte[0];
        JsonNode requestBody = operation.get("requestBody");
        if (requestBody != null && !chance(0.05)) {
            List<String> types = new ArrayList<>();
            requestBody.get("content").properties().forEach(e -> types.add(e.getKey()));
            String type = chance(0.05) ? pick(List.of("text/plain", "application/xml", "application/json; charset=ebcdic",
                    "multipart/form-data")) : pick(types);
            JsonNode schema = requestBody.get("content").has(type) ? requestBody.get("content").get(type).get("schema") : null;
            if (type.startsWith("multipart/form-data")) {
                String boundary = "fuzz" + random.nextInt(1_000_000);
                headers.add(new String[] {"Content-Type", "multipart/form-data; boundary=" + boundary});
                body = multipart(boundary);
            } else {
                headers.add(new String[] {"Content-Type", type});
                body = jsonBody(schema);
            }
        }
        headers.add(new String[] {"Accept", pick(List.of("application/json", "text/event-stream", "*/*",
                "text/event-stream, application/json", "image/png"))});
        if (chance(0.05)) {
            headers.add(new String[] {"X-Request-ID", pick(HOSTILE)});
        }
        if (chance(0.02)) {
            headers.add(new String[] {"X-Padding", "p".repeat(9_000 + random.nextInt(20_000))});
        }
        if (chance(0.01)) {
            headers.add(new String[] {"X-Broken", pick(List.of("a\rb", "a\u0000b", "a\nb: c"))});
        }
        String target = path + (query.isEmpty() ? "" : "?" + query);
        if (chance(0.01)) {
            target = target + "?" + "q=" + "y".repeat(70_000);
        }
        return new RawExchange.Request(method, target.getBytes(StandardCharsets.ISO_8859_1), headers, body);
    }

    private String pathValue(String name) {
        if (chance(0.5)) {
            return switch (name) {
                case "idOrSlug" -> pick(List.of("fda-regulatory-expert", "ema-regulatory-expert", UUID.randomUUID().toString()));
                case "mode" -> Integer.toString(random.nextInt(6));
                case "runId" -> "run_" + UUID.randomUUID().toString().replace("-", "");
                default -> pick(List.of(UUID.randomUUID().toString(), "conv-" + random.nextInt(100)));
            };
        }
        return pick(List.of(encode(pick(HOSTILE)), "%C3%28", "%FF", "%00", "a%2Fb", "..", "%2e%2e", "%E2%80%AE",
                "%ED%A0%80", "x".repeat(5_000), "%", "a%20b", ";jsessionid=1", "~"));
    }

    private String queryValue(JsonNode schema) {
        if (chance(0.5)) {
            return switch (schema.path("type").asString("string")) {
                case "integer" -> Integer.toString(random.nextInt(120) - 10);
                case "boolean" -> Boolean.toString(random.nextBoolean());
                default -> encode(pick(List.of("fda", "regulatory", "2026-01-01T00:00:00Z", "active", "1", "all", "run_1")));
            };
        }
        return chance(0.7) ? encode(pick(HOSTILE)) : pick(List.of("%C3%28", "%FF", "%00", "%", "%2", "%E2%80%AE"));
    }

    private String headerValue(String name) {
        if (name.equals("Last-Event-ID")) {
            return pick(List.of("0", "1", "5", "999999999", "-1", "abc", "1e3", " 7 ", "9223372036854775808"));
        }
        return chance(0.5) ? pick(List.of("t-fuzz", "t-other", "default")) : pick(HOSTILE).replace('\r', ' ')
                .replace('\n', ' ').replace('\u0000', ' ');
    }

    private byte[] jsonBody(JsonNode schema) {
        double roll = random.nextDouble();
        if (roll < 0.03) {
            return "[".repeat(3_000).getBytes(StandardCharsets.UTF_8);
        }
        if (roll < 0.05) {
            return "{\"query\": \"abc".getBytes(StandardCharsets.UTF_8);
        }
        if (roll < 0.07) {
            return new byte[] {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, 'a', 'b', 'c',
                    'd', 'e', '"', '}'};
        }
        if (roll < 0.09) {
            return write(pick(List.of(List.of(), "a string", 42, new Raw("null"), new Raw("true")))).getBytes(StandardCharsets.UTF_8);
        }
        if (roll < 0.10) {
            return ("{\"query\":\"" + "z".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        return write(value(schema, "", 0)).getBytes(StandardCharsets.UTF_8);
    }

    private Object value(JsonNode schema, String name, int depth) {
        if (schema == null || schema.isMissingNode() || schema.isNull()) {
            return plausible(name);
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            schema = api.get("components").get("schemas").get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        if (chance(0.08)) {
            return wrongType();
        }
        String type = schema.path("type").asString("object");
        return switch (type) {
            case "object" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                JsonNode props = schema.get("properties");
                if (props == null || props.isEmpty()) {
                    // Free-form objects (agent upsert, metadata): a plausible agent or nothing.
                    if (depth == 0 && chance(0.7)) {
                        out.put("slug", plausible("slug"));
                        out.put("name", plausible("name"));
                        out.put("level", chance(0.8) ? random.nextInt(7) : wrongType());
                        out.put("system_prompt", plausible("system_prompt"));
                        out.put("domains", List.of(plausible("domain")));
                    }
                } else {
                    for (Map.Entry<String, JsonNode> p : props.properties()) {
                        if (depth < 4 && chance(0.75)) {
                            out.put(p.getKey(), value(p.getValue(), p.getKey(), depth + 1));
                        }
                    }
                }
                if (chance(0.05)) {
                    out.put(pick(HOSTILE), plausible(""));
                }
                yield out;
            }
            case "array" -> {
                List<Object> items = new ArrayList<>();
                int n = chance(0.1) ? 0 : 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    items.add(chance(0.05) ? new Raw("null") : value(schema.get("items"), name, depth + 1));
                }
                yield items;
            }
            case "integer" -> chance(0.6) ? Integer.valueOf(1 + random.nextInt(20)) : pick(HOSTILE_NUMBERS);
            case "number" -> chance(0.6) ? Double.valueOf(random.nextDouble()) : pick(HOSTILE_NUMBERS);
            case "boolean" -> chance(0.8) ? Boolean.valueOf(random.nextBoolean()) : pick(List.of(2, "true", 0));
            default -> chance(0.55) ? plausible(name) : chance(0.9) ? pick(HOSTILE)
                    : new Raw(pick(List.of("\"\\ud800\"", "\"abc\\udfff\"", "\"\\u0000\\u0000\"")));
        };
    }

    private Object wrongType() {
        return pick(List.of(5, 1.5, true, List.of(), Map.of(), "text", new Raw("null"), List.of(Map.of("a", List.of()))));
    }

    private String plausible(String name) {
        return switch (name) {
            case "query", "message", "goal" -> pick(List.of("What must an IND contain?",
                    "How fast must a fatal SUSAR be reported in the EU?", "What is a 510(k)?"));
            case "agent_id", "expert_id", "slug" -> pick(List.of("fda-regulatory-expert", "ema-regulatory-expert",
                    "fuzz-" + random.nextInt(5), "no-such-agent"));
            case "session_id", "conversation_id" -> "fuzz-" + random.nextInt(50);
            case "strategy" -> pick(List.of("hybrid", "vector", "keyword", "other"));
            case "visibility" -> pick(List.of("private", "public", "other"));
            case "role" -> pick(List.of("user", "assistant", "system"));
            case "on_disconnect" -> pick(List.of("cancel", "continue"));
            case "multitask" -> pick(List.of("reject", "interrupt"));
            case "title", "content" -> "IND content " + random.nextInt(1000) + ": chemistry, manufacturing and controls.";
            default -> pick(List.of("default", "regulatory", "fda", "oncology", "x"));
        };
    }

    private byte[] multipart(String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int files = random.nextInt(3);
        for (int i = 0; i < files; i++) {
            String name = pick(List.of("notes.txt", "page.html", "doc.md", "scan.pdf", "image.png", "", "..%2f.txt",
                    "a\u202etxt.exe"));
            byte[] content = pick(List.of("A short note about INDs and CMC sections.".getBytes(StandardCharsets.UTF_8),
                    new byte[] {'a', 0, 'b', 0}, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF},
                    "<html><body><h1>Title</h1><p>Text</p></body></html>".getBytes(StandardCharsets.UTF_8),
                    "%PDF-1.4 not really".getBytes(StandardCharsets.UTF_8), new byte[0],
                    "---\ntitle: [unclosed\n---\nbody".getBytes(StandardCharsets.UTF_8)));
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        if (chance(0.5)) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"namespace\"\r\n\r\n"
                    + pick(HOSTILE) + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + (chance(0.95) ? "--\r\n" : "\r\n")).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case Raw raw -> out.append(raw.json());
            case String s -> {
                out.append('"');
                for (char c : s.toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                out.append('"');
            }
            case Map<?, ?> map -> {
                out.append('{');
                Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<?, ?> e = it.next();
                    write(String.valueOf(e.getKey()), out);
                    out.append(':');
                    write(e.getValue(), out);
                    out.append(it.hasNext() ? "," : "");
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    write(list.get(i), out);
                    out.append(i + 1 < list.size() ? "," : "");
                }
                out.append(']');
            }
            default -> out.append(value);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null ? List.of() : node::iterator;
    }
}
