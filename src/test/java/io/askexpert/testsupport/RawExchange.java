package io.askexpert.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte (so a request may carry what no client library
 * sends: invalid UTF-8 in the path, a CR or NUL in a header, a 20 KB header) and its response
 * read whole, de-chunked (with {@link RawHttp}'s reader), within a deadline.
 *
 * @param request the bytes sent, for the report of a failing case
 */
public record RawExchange(int status, Map<String, String> headers, byte[] body, String request) {

    /** A request to send: the target (path and query, already encoded or deliberately not), headers, body. */
    public record Request(String method, byte[] target, List<String[]> headers, byte[] body) {
        public String describe() {
            StringBuilder out = new StringBuilder(method).append(' ')
                    .append(new String(target, StandardCharsets.ISO_8859_1));
            for (String[] h : headers) {
                out.append("\n  ").append(h[0]).append(": ")
                        .append(h[1].length() > 200 ? h[1].substring(0, 200) + "…(" + h[1].length() + ")" : h[1]);
            }
            String b = new String(body, StandardCharsets.UTF_8);
            return out.append("\n  body: ").append(b.length() > 600 ? b.substring(0, 600) + "…(" + b.length() + ")" : b)
                    .toString();
        }
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public static RawExchange send(int port, Request r, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(timeoutMillis);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write((r.method() + " ").getBytes(StandardCharsets.ISO_8859_1));
            head.write(r.target());
            head.write((" HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (String[] h : r.headers()) {
                head.write((h[0] + ": ").getBytes(StandardCharsets.ISO_8859_1));
                head.write(h[1].getBytes(StandardCharsets.UTF_8));
                head.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            head.write(("Content-Length: " + r.body().length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            try {
                out.write(r.body());
                out.flush();
            } catch (IOException e) {
                // The server may answer (413, 400) and close before reading a body it refused.
            }
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String statusLine = RawHttp.line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + statusLine);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = RawHttp.line(in); !h.isEmpty(); h = RawHttp.line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = new RawHttp.Chunked(in).readAllBytes();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = in.readAllBytes();
            }
            return new RawExchange(Integer.parseInt(parts[1]), headers, body, r.describe());
        }
    }
}
