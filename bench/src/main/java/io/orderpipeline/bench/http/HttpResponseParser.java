package io.orderpipeline.bench.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Incremental parser of one HTTP/1.1 response at a time (no pipelining): bytes arrive in arbitrary slices, {@link
 * #feed} says when the response is complete. Handles {@code Content-Length}, {@code Transfer-Encoding: chunked} and
 * {@code Connection: close}. Deliberately small: it only has to read what our own services send, cheaply, so that the
 * load generator is never the bottleneck.
 */
public final class HttpResponseParser {

    private byte[] buf = new byte[4096];
    private int len;
    private int headerEnd = -1;
    private int status;
    private long contentLength = -1;
    private boolean chunked;
    private boolean closeAfter;
    private boolean complete;
    // chunked decoding
    private int chunkPos;
    private byte[] body = new byte[0];
    private int bodyLen;

    /** Ready for the next response on the same connection. */
    public void reset() {
        len = 0;
        headerEnd = -1;
        status = 0;
        contentLength = -1;
        chunked = false;
        closeAfter = false;
        complete = false;
        chunkPos = 0;
        bodyLen = 0;
    }

    /** Consumes all remaining bytes of {@code in}; returns true once the whole response has arrived. */
    public boolean feed(ByteBuffer in) {
        int n = in.remaining();
        ensure(len + n);
        in.get(buf, len, n);
        len += n;
        return parse();
    }

    /** Same as {@link #feed(ByteBuffer)} for an array slice (tests). */
    public boolean feed(byte[] bytes, int off, int n) {
        return feed(ByteBuffer.wrap(bytes, off, n));
    }

    private boolean parse() {
        if (complete) {
            return true;
        }
        if (headerEnd < 0) {
            int end = indexOfCrlfCrlf();
            if (end < 0) {
                return false;
            }
            headerEnd = end + 4;
            parseHeaders();
            chunkPos = headerEnd;
        }
        if (chunked) {
            complete = decodeChunks();
        } else if (contentLength >= 0) {
            complete = len - headerEnd >= contentLength;
        } else {
            // Neither length nor chunked: our services only send that for bodiless responses.
            complete = true;
        }
        return complete;
    }

    private int indexOfCrlfCrlf() {
        for (int i = 0; i + 3 < len; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void parseHeaders() {
        String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IllegalStateException("not an HTTP response: " + lines[0]);
        }
        status = Integer.parseInt(statusLine[1]);
        closeAfter = statusLine[0].equals("HTTP/1.0");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) {
                        closeAfter = true;
                    } else if (v.contains("keep-alive")) {
                        closeAfter = false;
                    }
                }
                default -> {
                    // other headers do not matter to the load generator
                }
            }
        }
        if (status == 204 || status == 304) {
            contentLength = 0;
        }
    }

    /** Decodes as many complete chunks as have arrived; true after the terminating chunk and trailers. */
    private boolean decodeChunks() {
        while (true) {
            int lineEnd = indexOfCrlf(chunkPos);
            if (lineEnd < 0) {
                return false;
            }
            String sizeText = new String(buf, chunkPos, lineEnd - chunkPos, StandardCharsets.ISO_8859_1);
            int semi = sizeText.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? sizeText.substring(0, semi) : sizeText).trim(), 16);
            if (size == 0) {
                // trailers (usually none) end with an empty line
                int pos = lineEnd + 2;
                while (true) {
                    int end = indexOfCrlf(pos);
                    if (end < 0) {
                        return false;
                    }
                    if (end == pos) {
                        return true;
                    }
                    pos = end + 2;
                }
            }
            int dataStart = lineEnd + 2;
            if (len < dataStart + size + 2) {
                return false;
            }
            if (body.length < bodyLen + size) {
                body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLen + size));
            }
            System.arraycopy(buf, dataStart, body, bodyLen, size);
            bodyLen += size;
            chunkPos = dataStart + size + 2;
        }
    }

    private int indexOfCrlf(int from) {
        for (int i = from; i + 1 < len; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void ensure(int capacity) {
        if (buf.length < capacity) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, capacity));
        }
    }

    public int status() {
        return status;
    }

    /** The server asked to close the connection after this response. */
    public boolean closeAfter() {
        return closeAfter;
    }

    /** The decoded body of a complete response. */
    public byte[] body() {
        if (chunked) {
            return Arrays.copyOf(body, bodyLen);
        }
        int n = contentLength >= 0 ? (int) contentLength : len - headerEnd;
        return Arrays.copyOfRange(buf, headerEnd, headerEnd + n);
    }
}
