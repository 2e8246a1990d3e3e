package io.orderpipeline.ingest.web;

import io.orderpipeline.ingest.IngestSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at {@code orders.ingest.limits.max-body-size} ({@code orders.ingest.batch.max-body-size} for
 * {@code POST /orders/batch} and the operators' bulk forms, {@code POST /admin/orders/replay} and {@code POST
 * /admin/dead-letters/redrive}). A declared {@code Content-Length} above the cap
 * is answered {@code 413} before anything is read; a chunked body is cut off while it is read ({@link
 * PayloadTooLargeException}, mapped to {@code 413} by {@link ProblemHandler}). Tomcat's own limits apply only to form
 * posts, so JSON needs this.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

    static final String BATCH_PATH = "/orders/batch";
    /** Paths whose bodies are lists: the batch limit applies. */
    private static final Set<String> BULK_PATHS =
            Set.of(BATCH_PATH, "/admin/orders/replay", "/admin/dead-letters/redrive");

    private final long limit;
    private final long batchLimit;
    private final ProblemWriter problems;

    BodySizeLimitFilter(IngestSettings settings, ProblemWriter problems) {
        this.limit = settings.limits().maxBodySize().toBytes();
        this.batchLimit = settings.batch().maxBodySize().toBytes();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = BULK_PATHS.contains(request.getRequestURI()
                        .substring(request.getContextPath().length()))
                ? batchLimit
                : this.limit;
        if (request.getContentLengthLong() > limit) {
            problems.payloadTooLarge(request, response, limit);
            return;
        }
        chain.doFilter(new Capped(request, limit), response);
    }

    private static final class Capped extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Capped(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CappedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class CappedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        CappedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws PayloadTooLargeException {
            read += n;
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
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
