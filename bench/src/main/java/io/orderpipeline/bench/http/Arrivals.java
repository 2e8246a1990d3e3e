package io.orderpipeline.bench.http;

/**
 * The two ways load is offered. {@link #open} is the open model: calls start on a fixed schedule whatever the server
 * does, and each call's latency is measured from its scheduled time. {@link #closed} keeps a fixed number of calls
 * outstanding and starts the next one as soon as one finishes: it finds maximum throughput, but its latencies hide
 * queueing (coordinated omission), so it is never used for latency figures.
 */
public final class Arrivals {

    private Arrivals() {}

    /** Makes the call with sequence number {@code seq}, intended to start at {@code intendedNanos}. */
    @FunctionalInterface
    public interface CallFactory {
        LoadLoop.Call create(long seq, long intendedNanos);
    }

    /** Fixed arrival rate: call {@code i} is due at {@code start + i / rate}, bounded by count and duration. */
    public static Open open(double perSecond, long maxCalls, long durationNanos, long startNanos, CallFactory factory) {
        return new Open(perSecond, maxCalls, durationNanos, startNanos, factory);
    }

    /** {@code concurrency} calls outstanding at all times, bounded by count and duration. */
    public static Closed closed(
            int concurrency, long maxCalls, long durationNanos, long startNanos, CallFactory factory) {
        return new Closed(concurrency, maxCalls, durationNanos, startNanos, factory);
    }

    /** The open-model schedule. */
    public static final class Open implements LoadLoop.Driver {
        private final double perSecond;
        private final long maxCalls;
        private final long endNanos;
        private final long startNanos;
        private final CallFactory factory;
        private long emitted;

        Open(double perSecond, long maxCalls, long durationNanos, long startNanos, CallFactory factory) {
            if (perSecond <= 0) {
                throw new IllegalArgumentException("rate must be > 0: " + perSecond);
            }
            this.perSecond = perSecond;
            this.maxCalls = maxCalls;
            this.endNanos = startNanos + durationNanos;
            this.startNanos = startNanos;
            this.factory = factory;
        }

        /** Intended start of call {@code seq}; computed from the start, so rounding never drifts. */
        public long dueAt(long seq) {
            return startNanos + (long) (seq * 1e9 / perSecond);
        }

        @Override
        public long emitDue(long now, LoadLoop loop) {
            while (emitted < maxCalls) {
                long due = dueAt(emitted);
                if (due >= endNanos) {
                    emitted = maxCalls;
                    break;
                }
                if (due > now) {
                    return due;
                }
                loop.submit(factory.create(emitted, due));
                emitted++;
            }
            return Long.MAX_VALUE;
        }

        @Override
        public boolean finished(long now) {
            return emitted >= maxCalls || dueAt(emitted) >= endNanos;
        }

        public long emitted() {
            return emitted;
        }
    }

    /** The closed loop; the call's callback must call {@link #release()} when the call ends. */
    public static final class Closed implements LoadLoop.Driver {
        private final int concurrency;
        private final long maxCalls;
        private final long endNanos;
        private final CallFactory factory;
        private long emitted;
        private int outstanding;

        Closed(int concurrency, long maxCalls, long durationNanos, long startNanos, CallFactory factory) {
            this.concurrency = concurrency;
            this.maxCalls = maxCalls;
            this.endNanos = startNanos + durationNanos;
            this.factory = factory;
        }

        @Override
        public long emitDue(long now, LoadLoop loop) {
            while (outstanding < concurrency && !finished(now)) {
                loop.submit(factory.create(emitted, now));
                emitted++;
                outstanding++;
            }
            return finished(now) ? Long.MAX_VALUE : endNanos;
        }

        /** One call ended; the next may start. */
        public void release() {
            outstanding--;
        }

        @Override
        public boolean finished(long now) {
            return emitted >= maxCalls || now >= endNanos;
        }
    }
}
