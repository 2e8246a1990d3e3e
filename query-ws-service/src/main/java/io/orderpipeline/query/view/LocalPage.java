package io.orderpipeline.query.view;

import java.util.List;
import java.util.Set;

/**
 * What this instance's copies of some partitions hold for one {@link PageQuery}.
 *
 * @param items at most {@code count} entries in listing order, merged over the partitions that answered
 * @param missingPartitions requested partitions this instance has no copy of (active, standby or restoring)
 */
public record LocalPage(List<IndexedOrder> items, Set<Integer> missingPartitions) implements PartitionAnswer {

    public LocalPage {
        items = List.copyOf(items);
        missingPartitions = Set.copyOf(missingPartitions);
    }
}
