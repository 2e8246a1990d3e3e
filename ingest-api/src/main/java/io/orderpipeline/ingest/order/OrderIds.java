package io.orderpipeline.ingest.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Order and command ids.
 *
 * <p>{@link #next()} returns an RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
 * of one instance strictly increasing within a millisecond (and across a clock step backwards), then 62 random bits
 * that keep instances apart. Ids therefore sort by creation time, as text and as UUIDs.
 *
 * <p>{@link #fromName(String)} returns a name-based UUIDv5 (SHA-1): the same name always gives the same id. Orders
 * posted with an {@code Idempotency-Key} get such an id, so that every retry of the request, on any instance and
 * after any restart, carries the same order id and the topology's dedupe by order id absorbs it. Those ids are
 * unique (per name) but not time-ordered.
 */
public final class OrderIds {

    /** Namespace of name-based ids, fixed forever: changing it would change every keyed order's id. */
    static final UUID NAMESPACE = UUID.fromString("6f1c8a52-3b7e-4d2a-9a0e-5c4b1f0e7d21");

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** (unix millis << 12) | counter of the last id handed out. */
    private final AtomicLong last = new AtomicLong();

    public OrderIds(Clock clock) {
        this.clock = clock;
    }

    /** A new time-ordered UUIDv7. Thread-safe. */
    public UUID next() {
        long now = clock.millis() << 12;
        long stamp = last.updateAndGet(previous -> Math.max(now, previous + 1));
        long millis = stamp >>> 12;
        long counter = stamp & 0xFFF;
        long msb = (millis << 16) | 0x7000L | counter;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The UUIDv5 of {@code name} in this project's namespace. */
    public static UUID fromName(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
        sha1.update(toBytes(NAMESPACE));
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3F) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xFF);
            lsb = (lsb << 8) | (hash[i + 8] & 0xFF);
        }
        return new UUID(msb, lsb);
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] bytes = new byte[16];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (msb >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (lsb >>> (56 - 8 * i));
        }
        return bytes;
    }
}
