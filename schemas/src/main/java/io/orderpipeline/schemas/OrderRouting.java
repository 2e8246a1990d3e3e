package io.orderpipeline.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * How commands find the partition of their account (see {@code docs/ARCHITECTURE.md}, "Partitioning").
 *
 * <p>The write side is partitioned by account: a {@code PLACE} command is keyed by its {@code accountId}, so Kafka's
 * default partitioner puts every command of an account into one partition and the topology validates, reserves and
 * runs the order's state machine in one task and one transaction. A {@code CANCEL} names only the order, so the order
 * id carries what routing needs: its lowest 32 bits are the murmur2 hash of the account id ({@link #route}), the same
 * hash the default partitioner applies to the key of the order's {@code PLACE}. {@link #partitionOf(UUID, int)} turns
 * it back into the partition without knowing the account, and no read-side lookup sits on the write path.
 *
 * <p>Order ids keep their UUID shape (version and variant bits untouched); what they lose is 32 of their random or
 * hashed bits. Ids minted before this scheme carry no route: a cancel of one goes to an arbitrary partition and is
 * dropped there as a cancel of an unknown order.
 */
public final class OrderRouting {

    private static final long LOW_32 = 0xFFFFFFFFL;

    private OrderRouting() {}

    /** The hash Kafka's default partitioner applies to {@code accountId} as a UTF-8 string key. */
    public static int accountHash(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return Utils.murmur2(accountId.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code id} with its lowest 32 bits replaced by the {@link #accountHash} of {@code accountId}. */
    public static UUID route(UUID id, String accountId) {
        long lsb = (id.getLeastSignificantBits() & ~LOW_32) | (accountHash(accountId) & LOW_32);
        return new UUID(id.getMostSignificantBits(), lsb);
    }

    /** Whether {@code orderId} carries the route of {@code accountId}. */
    public static boolean isRoutedTo(UUID orderId, String accountId) {
        return (int) orderId.getLeastSignificantBits() == accountHash(accountId);
    }

    /**
     * The partition of {@code orders.commands} (and of every topic partitioned like it) that holds the account of
     * {@code orderId}: equal to {@link #partitionOf(String, int)} of the account the id was {@link #route routed} to.
     */
    public static int partitionOf(UUID orderId, int partitions) {
        return Utils.toPositive((int) orderId.getLeastSignificantBits()) % partitions;
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code accountId}. */
    public static int partitionOf(String accountId, int partitions) {
        return Utils.toPositive(accountHash(accountId)) % partitions;
    }
}
