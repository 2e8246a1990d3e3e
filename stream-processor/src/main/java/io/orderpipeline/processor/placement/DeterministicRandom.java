package io.orderpipeline.processor.placement;

import java.nio.charset.StandardCharsets;

/**
 * Uniform numbers that depend only on (seed, key, n): the same order and attempt draw the same number in every run, on
 * every thread and after every replay, which a sequential {@code Random} shared by stream threads could not give.
 */
final class DeterministicRandom {

    private DeterministicRandom() {}

    /** A number in {@code [0, 1)}. */
    static double unit(long seed, String key, long n) {
        long h = mix(seed ^ fnv1a(key)) ^ mix(n + 0x9E3779B97F4A7C15L);
        return (mix(h) >>> 11) * 0x1.0p-53;
    }

    /** 64 well-mixed bits. */
    static long bits(long seed, String key) {
        return mix(seed ^ fnv1a(key));
    }

    private static long fnv1a(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** SplitMix64 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
