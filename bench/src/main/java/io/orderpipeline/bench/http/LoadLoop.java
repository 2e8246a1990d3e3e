package io.orderpipeline.bench.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded, non-blocking HTTP/1.1 load loop: one selector, keep-alive connections (at most one request in
 * flight per connection, no pipelining), requests queued per endpoint when every connection is busy. Everything —
 * arrivals, timers, callbacks — runs on the thread that calls {@link #run}, so callbacks need no locking and the
 * generator costs one core at most, usually a small fraction of one.
 *
 * <p>Every {@link Call} carries its <em>intended</em> start time. Open-model drivers set it from the arrival schedule,
 * so time spent waiting for a free connection (queueing) is part of the measured latency: coordinated omission cannot
 * hide it.
 */
public final class LoadLoop implements AutoCloseable {

    /** Receives the outcome of a call, on the loop thread. */
    public interface Callback {
        void completed(Call call, int status, byte[] body, long doneNanos);

        void failed(Call call, String reason, long doneNanos);
    }

    /** What makes calls over time: open arrivals, a closed loop, or nothing (timers only). */
    public interface Driver {
        /** Emits every call due at or before {@code now}; returns the next due time, or {@code Long.MAX_VALUE}. */
        long emitDue(long now, LoadLoop loop);

        /** No more calls will be emitted. */
        boolean finished(long now);
    }

    /** One target server with its connection pool. */
    public static final class Endpoint {
        final InetSocketAddress address;
        final String hostHeader;
        final int maxConnections;
        final ArrayDeque<Call> queue = new ArrayDeque<>();
        final ArrayDeque<Conn> idle = new ArrayDeque<>();
        int open;
        long connectsTotal;

        Endpoint(InetSocketAddress address, int maxConnections) {
            this.address = address;
            this.hostHeader = address.getHostString() + ":" + address.getPort();
            this.maxConnections = maxConnections;
        }

        /** Request bytes for a bodiless GET, with the run's token ({@link BearerToken#install}). */
        public byte[] get(String pathAndQuery) {
            return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAccept: application/json\r\n"
                            + BearerToken.installedHeaderLine() + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        /** Request bytes for a JSON POST, with the run's token ({@link BearerToken#install}). */
        public byte[] postJson(String path, byte[] json) {
            return postJson(path, json, BearerToken.installedHeaderLine());
        }

        /** Request bytes for a JSON POST as {@code token}'s principal. */
        public byte[] postJson(String path, byte[] json, BearerToken token) {
            return postJson(path, json, token.headerLine());
        }

        private byte[] postJson(String path, byte[] json, String authorizationLine) {
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader
                            + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                            + authorizationLine + "Content-Length: " + json.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[head.length + json.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(json, 0, all, head.length, json.length);
            return all;
        }

        public int queued() {
            return queue.size();
        }

        public long connects() {
            return connectsTotal;
        }
    }

    /** One request: its bytes, when it should have started, and who to tell. */
    public static final class Call {
        public final Endpoint endpoint;
        public final byte[] request;
        public final long intendedNanos;
        public final Object tag;
        final Callback callback;
        public long sentNanos;
        boolean retried;

        public Call(Endpoint endpoint, byte[] request, long intendedNanos, Object tag, Callback callback) {
            this.endpoint = endpoint;
            this.request = request;
            this.intendedNanos = intendedNanos;
            this.tag = tag;
            this.callback = callback;
        }
    }

    final class Conn {
        final Endpoint endpoint;
        final SocketChannel channel;
        final SelectionKey key;
        final HttpResponseParser parser = new HttpResponseParser();
        boolean connected;
        Call current;
        ByteBuffer out;
        int served;
        boolean gotBytes;

        Conn(Endpoint endpoint) throws IOException {
            this.endpoint = endpoint;
            this.channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connected = channel.connect(endpoint.address);
            key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            endpoint.open++;
            endpoint.connectsTotal++;
        }
    }

    private record Timer(long at, long seq, Runnable task) {}

    private final Selector selector;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Conn> conns = new ArrayList<>();
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final long timeoutNanos;
    private long timerSeq;
    private long inFlight;
    private volatile boolean stopRequested;

    /** @param requestTimeoutMillis a request without a complete response after this long fails as "timeout" */
    public LoadLoop(long requestTimeoutMillis) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis);
    }

    /** Declares a target: {@code http://host:port} with at most {@code maxConnections} keep-alive connections. */
    public Endpoint endpoint(URI base, int maxConnections) {
        Endpoint endpoint = new Endpoint(new InetSocketAddress(base.getHost(), base.getPort()), maxConnections);
        endpoints.add(endpoint);
        return endpoint;
    }

    /** Queues a call; it goes out as soon as its endpoint has a free connection. Loop thread only. */
    public void submit(Call call) {
        call.endpoint.queue.add(call);
        inFlight++;
    }

    /** Runs {@code task} on the loop thread at {@code atNanos}. Loop thread only (or before {@link #run}). */
    public void at(long atNanos, Runnable task) {
        timers.add(new Timer(atNanos, timerSeq++, task));
    }

    /** Calls submitted and not yet completed or failed. */
    public long inFlight() {
        return inFlight;
    }

    /** Asks a running loop to return soon (any thread). */
    public void stop() {
        stopRequested = true;
        selector.wakeup();
    }

    /**
     * Runs until the driver is finished and every call has completed, or until {@code hardDeadlineNanos}; calls still
     * outstanding at the deadline fail as "abandoned".
     */
    public void run(Driver driver, long hardDeadlineNanos) {
        long nextTimeoutScan = System.nanoTime();
        while (!stopRequested) {
            long now = System.nanoTime();
            long nextDue = driver.emitDue(now, this);
            while (!timers.isEmpty() && timers.peek().at <= now) {
                timers.poll().task.run();
            }
            dispatch(now);
            if (now >= nextTimeoutScan) {
                failTimedOut(now);
                nextTimeoutScan = now + TimeUnit.MILLISECONDS.toNanos(50);
            }
            boolean done = driver.finished(now) && inFlight == 0 && timers.isEmpty();
            if (done || now >= hardDeadlineNanos) {
                break;
            }
            long wakeAt = Math.min(nextDue, nextTimeoutScan);
            if (!timers.isEmpty()) {
                wakeAt = Math.min(wakeAt, timers.peek().at);
            }
            long waitNanos = wakeAt - now;
            try {
                if (waitNanos <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                handle(key);
            }
        }
        abandonAll(System.nanoTime());
    }

    private void dispatch(long now) {
        for (Endpoint endpoint : endpoints) {
            while (!endpoint.queue.isEmpty()) {
                Conn conn = endpoint.idle.poll();
                if (conn == null) {
                    if (endpoint.open >= endpoint.maxConnections) {
                        break;
                    }
                    try {
                        conn = new Conn(endpoint);
                        conns.add(conn);
                    } catch (IOException e) {
                        Call call = endpoint.queue.poll();
                        fail(call, "connect: " + e.getMessage(), now);
                        continue;
                    }
                }
                start(conn, endpoint.queue.poll(), now);
            }
        }
    }

    private void start(Conn conn, Call call, long now) {
        conn.current = call;
        conn.gotBytes = false;
        conn.parser.reset();
        call.sentNanos = now;
        conn.out = ByteBuffer.wrap(call.request);
        if (conn.connected) {
            write(conn);
        }
    }

    private void handle(SelectionKey key) {
        Conn conn = (Conn) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isConnectable()) {
                conn.channel.finishConnect();
                conn.connected = true;
                key.interestOps(SelectionKey.OP_READ);
                if (conn.current != null) {
                    write(conn);
                }
                return;
            }
            if (key.isWritable()) {
                write(conn);
            }
            if (key.isReadable()) {
                read(conn);
            }
        } catch (IOException e) {
            broken(conn, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void write(Conn conn) {
        try {
            conn.channel.write(conn.out);
            if (conn.out.hasRemaining()) {
                conn.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else {
                conn.key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            broken(conn, "write: " + e.getMessage());
        }
    }

    private void read(Conn conn) throws IOException {
        readBuffer.clear();
        int n = conn.channel.read(readBuffer);
        if (n < 0) {
            broken(conn, "connection closed by server");
            return;
        }
        if (n == 0) {
            return;
        }
        readBuffer.flip();
        if (conn.current == null) {
            // Bytes on an idle connection: nothing to match them with; drop the connection.
            broken(conn, "unsolicited bytes");
            return;
        }
        conn.gotBytes = true;
        if (conn.parser.feed(readBuffer)) {
            Call call = conn.current;
            long done = System.nanoTime();
            conn.current = null;
            conn.out = null;
            conn.served++;
            int status = conn.parser.status();
            byte[] body = conn.parser.body();
            if (conn.parser.closeAfter()) {
                close(conn);
            } else {
                conn.endpoint.idle.add(conn);
            }
            inFlight--;
            call.callback.completed(call, status, body, done);
        }
    }

    /**
     * A connection failed. A request that was written to a connection the server had already closed (keep-alive
     * expiry) and got no byte back was never processed, so it is retried once on a fresh connection, as HTTP clients
     * do; anything else fails.
     */
    private void broken(Conn conn, String reason) {
        Call call = conn.current;
        boolean reused = conn.served > 0;
        boolean silent = !conn.gotBytes;
        close(conn);
        if (call == null) {
            return;
        }
        if (reused && silent && !call.retried) {
            call.retried = true;
            call.endpoint.queue.addFirst(call);
            return;
        }
        fail(call, reason, System.nanoTime());
    }

    private void close(Conn conn) {
        conn.current = null;
        conn.key.cancel();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // closing a broken socket
        }
        if (conns.remove(conn)) {
            conn.endpoint.open--;
            conn.endpoint.idle.remove(conn);
        }
    }

    private void fail(Call call, String reason, long now) {
        inFlight--;
        call.callback.failed(call, reason, now);
    }

    private void failTimedOut(long now) {
        for (Conn conn : new ArrayList<>(conns)) {
            if (conn.current != null && now - conn.current.sentNanos > timeoutNanos) {
                Call call = conn.current;
                close(conn);
                fail(call, "timeout", now);
            }
        }
        for (Endpoint endpoint : endpoints) {
            while (!endpoint.queue.isEmpty() && now - endpoint.queue.peek().intendedNanos > timeoutNanos) {
                fail(endpoint.queue.poll(), "timeout (queued)", now);
            }
        }
    }

    private void abandonAll(long now) {
        for (Conn conn : new ArrayList<>(conns)) {
            if (conn.current != null) {
                Call call = conn.current;
                close(conn);
                fail(call, "abandoned", now);
            }
        }
        for (Endpoint endpoint : endpoints) {
            while (!endpoint.queue.isEmpty()) {
                fail(endpoint.queue.poll(), "abandoned", now);
            }
        }
        timers.clear();
    }

    @Override
    public void close() {
        for (Conn conn : new ArrayList<>(conns)) {
            close(conn);
        }
        try {
            selector.close();
        } catch (ClosedChannelException ignored) {
            // already closed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
