package io.orderpipeline.bench.stack;

import java.util.concurrent.locks.LockSupport;

/** Pauses of the harness between polls of a condition (the harness is not a test; it may wait on the clock). */
public final class Sleep {

    private Sleep() {}

    public static void millis(long millis) {
        LockSupport.parkNanos(millis * 1_000_000L);
    }
}
