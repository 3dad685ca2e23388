package io.askexpert.api;

import io.askexpert.errors.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * api.md §1: request bodies up to 1 MiB, document upload up to 50 MiB, a catalogue import up to
 * 16 MiB (1,000 experts at up to 16 KiB each with their system prompts; a real catalogue of 319
 * experts measured 1.1 MB, 3.5 KB each), else 413. A declared
 * {@code Content-Length} over the limit is refused before reading; a chunked body is counted
 * as it is read and fails with {@link BodyTooLargeException} once it passes the limit.
 */
final class BodySizeLimit extends OncePerRequestFilter {

    static final long DEFAULT_LIMIT = 1L << 20;
    static final long UPLOAD_LIMIT = 50L << 20;
    static final String UPLOAD_PATH = "/api/v1/expert/knowledge/documents";
    static final long IMPORT_LIMIT = 16L << 20;
    static final String IMPORT_PATH = "/api/v1/expert/agents";

    private final ErrorResponses errors;

    BodySizeLimit(ErrorResponses errors) {
        this.errors = errors;
    }

    static long limitFor(String method, String path) {
        if (!"POST".equals(method)) {
            return DEFAULT_LIMIT;
        }
        return path.equals(UPLOAD_PATH) ? UPLOAD_LIMIT : path.equals(IMPORT_PATH) ? IMPORT_LIMIT : DEFAULT_LIMIT;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request.getMethod(), request.getRequestURI().substring(request.getContextPath().length()));
        if (request.getContentLengthLong() > limit) {
            ApiFailures.Failure failure = ApiFailures.tooLarge(limit);
            // The unread body would otherwise be drained by the container before the answer arrives.
            response.setHeader("Connection", "close");
            errors.write(request, response, ErrorCode.PAYLOAD_TOO_LARGE, failure.message(), failure.details());
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        Counting(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
