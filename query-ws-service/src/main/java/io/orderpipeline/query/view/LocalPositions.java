package io.orderpipeline.query.view;

import java.util.List;
import java.util.Set;

/**
 * What this instance's copies of some partitions hold of one account's fills.
 *
 * @param totals per symbol (only symbols with fills), summed over the partitions that answered
 * @param missingPartitions requested partitions this instance has no copy of
 */
public record LocalPositions(List<PositionTotals> totals, Set<Integer> missingPartitions) implements PartitionAnswer {

    public LocalPositions {
        totals = List.copyOf(totals);
        missingPartitions = Set.copyOf(missingPartitions);
    }
}
