package io.orderpipeline.query.view;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.schemas.avro.OrderState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's own copies of the read-side stores. Every read allows stale stores (KIP-535): a standby or a
 * restoring copy answers too, which is what keeps queries working during a rebalance. Callers decide which copy to ask
 * (active first); this class never goes over the network.
 *
 * <p>A page scans each partition's index from the cursor and stops after {@code count} matches (a principal's page:
 * each of its accounts' ranges of the per-account index, merged), so its cost grows with the page size, the number
 * of partitions and of the principal's accounts, not with the number of stored orders. The indexes have no
 * changelog and are complete only on a partition's active copy once its task has rebuilt them ({@link
 * IndexReadiness}). A standby or restoring copy answers a listing from its by-id store instead: every stored order of
 * the partition is read and the page picked from them, the same items in the same order at a cost that grows with the
 * partition (counted by {@code orders.query.listing.full.scans}). That only happens while the active copy cannot
 * answer: a rebalance, a restart, a failed instance.
 */
@Component
public class LocalOrderStore {

    private final OrderViewStreams streams;
    private final AtomicLong fullScans = new AtomicLong();

    LocalOrderStore(OrderViewStreams streams, ObjectProvider<MeterRegistry> meters) {
        this.streams = streams;
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            FunctionCounter.builder("orders.query.listing.full.scans", fullScans, AtomicLong::get)
                    .description("listing pages answered by reading a whole partition (no built index here)")
                    .register(registry);
        }
    }

    /** Listing pages of one partition answered from the by-id store because its index here was not built. */
    public long fullScans() {
        return fullScans.get();
    }

    /**
     * The order as this instance's copy of {@code partition} has it.
     *
     * @throws StoreUnavailableException when this instance holds no queryable copy of that partition
     */
    public Optional<OrderView> find(String orderId, int partition) {
        try {
            OrderState state = store(OrderViewTopology.ORDERS_BY_ID, partition, OrderState.class)
                    .get(orderId);
            return Optional.ofNullable(state).map(OrderView::from);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new StoreUnavailableException("no local copy of partition " + partition + ": " + e.getMessage(), e);
        }
    }

    /** One index scan over the given partitions' local copies. */
    public LocalPage page(PageQuery query, Collection<Integer> partitions) {
        List<IndexedOrder> items = new ArrayList<>();
        Set<Integer> missing = new HashSet<>();
        for (int partition : partitions) {
            try {
                items.addAll(scan(query, partition));
            } catch (InvalidStateStoreException | IllegalStateException e) {
                missing.add(partition);
            }
        }
        items.sort(IndexedOrder.LISTING_ORDER);
        return new LocalPage(items.size() > query.count() ? items.subList(0, query.count()) : items, missing);
    }

    /**
     * The fills of {@code accountId}'s orders in the given partitions' local copies, summed per symbol. Reads every
     * order of the account in those partitions (its range of the per-account index, or the whole partition on a copy
     * without a built index, as {@link #page} does): the cost grows with the account's orders, not with all orders.
     */
    public LocalPositions positions(String accountId, Collection<Integer> partitions) {
        Map<String, PositionTotals> bySymbol = new TreeMap<>();
        Set<Integer> missing = new HashSet<>();
        for (int partition : partitions) {
            Map<String, PositionTotals> ofPartition = new TreeMap<>();
            try {
                forEachOrderOf(accountId, partition, order -> PositionTotals.addFills(order, ofPartition));
            } catch (InvalidStateStoreException | IllegalStateException e) {
                missing.add(partition);
                continue; // nothing of a partition that failed half-way: its next copy answers for all of it
            }
            ofPartition.forEach((symbol, totals) -> bySymbol.merge(symbol, totals, PositionTotals::plus));
        }
        return new LocalPositions(new ArrayList<>(bySymbol.values()), missing);
    }

    private void forEachOrderOf(String accountId, int partition, Consumer<OrderState> action) {
        ReadOnlyKeyValueStore<String, OrderState> byId =
                store(OrderViewTopology.ORDERS_BY_ID, partition, OrderState.class);
        if (!streams.indexReadiness().isBuilt(partition)) {
            fullScans.incrementAndGet();
            try (KeyValueIterator<String, OrderState> all = byId.all()) {
                while (all.hasNext()) {
                    KeyValue<String, OrderState> entry;
                    try {
                        entry = all.next();
                    } catch (SerializationException e) {
                        continue; // unreadable, as the index rebuild skips it
                    }
                    if (accountId.equals(entry.value.getAccountId())) {
                        action.accept(entry.value);
                    }
                }
            }
            return;
        }
        ReadOnlyKeyValueStore<String, String> index = store(Index.ACCOUNT.storeName(), partition, String.class);
        String prefix = IndexKeys.prefix(Index.ACCOUNT, accountId, null, null);
        try (KeyValueIterator<String, String> entries = index.range(prefix, IndexKeys.upperBound(prefix))) {
            while (entries.hasNext()) {
                OrderState state = byId.get(entries.next().value);
                if (state != null && accountId.equals(state.getAccountId())) {
                    action.accept(state);
                }
            }
        }
    }

    private List<IndexedOrder> scan(PageQuery query, int partition) {
        if (!streams.indexReadiness().isBuilt(partition)) {
            return scanById(query, partition);
        }
        ReadOnlyKeyValueStore<String, String> index = store(query.index().storeName(), partition, String.class);
        ReadOnlyKeyValueStore<String, OrderState> byId =
                store(OrderViewTopology.ORDERS_BY_ID, partition, OrderState.class);
        if (query.accounts() == null) {
            return scanRange(query, index, byId, IndexKeys.prefix(query.index(), query.status(), query.symbol()));
        }
        // a principal has few accounts: one range per account, each at most a page, merged
        List<IndexedOrder> found = new ArrayList<>();
        for (String account : new TreeSet<>(query.accounts())) {
            found.addAll(scanRange(
                    query, index, byId, IndexKeys.prefix(query.index(), account, query.status(), query.symbol())));
        }
        found.sort(IndexedOrder.LISTING_ORDER);
        return found.size() > query.count() ? found.subList(0, query.count()) : found;
    }

    /** At most {@code query.count()} matching orders of one index range, after the cursor. */
    private static List<IndexedOrder> scanRange(
            PageQuery query,
            ReadOnlyKeyValueStore<String, String> index,
            ReadOnlyKeyValueStore<String, OrderState> byId,
            String prefix) {
        String from = query.after() == null ? prefix : prefix + query.after();
        String exclusive = query.after() == null ? null : from;
        List<IndexedOrder> found = new ArrayList<>(Math.min(query.count(), 1024));
        try (KeyValueIterator<String, String> entries = index.range(from, IndexKeys.upperBound(prefix))) {
            while (entries.hasNext() && found.size() < query.count()) {
                KeyValue<String, String> entry = entries.next();
                if (entry.key.equals(exclusive)) {
                    continue;
                }
                OrderState state = byId.get(entry.value);
                if (state == null) {
                    continue; // removed between the two reads
                }
                OrderView order = OrderView.from(state);
                if (query.matches(order)) {
                    found.add(new IndexedOrder(entry.key.substring(prefix.length()), order));
                }
            }
        }
        return found;
    }

    /** The page from every stored order of the partition: a bounded heap of the {@code count} first in listing order. */
    private List<IndexedOrder> scanById(PageQuery query, int partition) {
        ReadOnlyKeyValueStore<String, OrderState> byId =
                store(OrderViewTopology.ORDERS_BY_ID, partition, OrderState.class);
        fullScans.incrementAndGet();
        PriorityQueue<IndexedOrder> first = new PriorityQueue<>(IndexedOrder.LISTING_ORDER.reversed());
        try (KeyValueIterator<String, OrderState> all = byId.all()) {
            while (all.hasNext()) {
                KeyValue<String, OrderState> entry;
                try {
                    entry = all.next();
                } catch (SerializationException e) {
                    continue; // unreadable, as the index rebuild skips it
                }
                OrderView order = OrderView.from(entry.value);
                if (!query.matches(order)) {
                    continue;
                }
                String sortKey = IndexKeys.sortKey(order.createdAtMillis(), order.orderId());
                if (query.after() != null && sortKey.compareTo(query.after()) <= 0) {
                    continue;
                }
                first.add(new IndexedOrder(sortKey, order));
                if (first.size() > query.count()) {
                    first.poll();
                }
            }
        }
        List<IndexedOrder> found = new ArrayList<>(first);
        found.sort(IndexedOrder.LISTING_ORDER);
        return found;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition, Class<V> valueType) {
        KafkaStreams client = streams.streams();
        return client.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition)
                .enableStaleStores());
    }
}
