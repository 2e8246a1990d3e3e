package io.orderpipeline.query.view;

import java.util.Set;

/**
 * What one instance answers for some partitions of {@code orders.state}: the partitions it holds no copy of are named,
 * so the caller asks the next copy of exactly those.
 */
public interface PartitionAnswer {

    /** Requested partitions this instance has no copy of (active, standby or restoring). */
    Set<Integer> missingPartitions();
}
