package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.OrderState;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an order's latest state into {@value OrderViewTopology#ORDERS_BY_ID} and moves its index entries. The index
 * stores have no changelog, so {@link #init} rebuilds them from the by-id store: Streams calls it once the task's
 * stores are restored, before the task processes a record, each time the task is assigned to this instance. Whatever
 * the index stores held on disk before (a previous run, a crash mid-update) is discarded.
 */
final class OrderIndexer implements Processor<String, OrderState, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(OrderIndexer.class);

    private final IndexReadiness readiness;
    private KeyValueStore<String, OrderState> byId;
    private final Map<Index, KeyValueStore<String, String>> indexes = new EnumMap<>(Index.class);
    private int partition;
    private Object built;

    OrderIndexer(IndexReadiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        byId = context.getStateStore(OrderViewTopology.ORDERS_BY_ID);
        for (Index index : Index.values()) {
            indexes.put(index, context.getStateStore(index.storeName()));
        }
        partition = context.taskId().partition();
        rebuild();
        built = readiness.built(partition);
    }

    @Override
    public void close() {
        if (built != null) {
            readiness.dropped(partition, built);
            built = null;
        }
    }

    /** Empties the indexes and derives them again from every stored order. */
    private void rebuild() {
        long started = System.nanoTime();
        for (KeyValueStore<String, String> index : indexes.values()) {
            try (KeyValueIterator<String, String> entries = index.all()) {
                while (entries.hasNext()) {
                    index.delete(entries.next().key);
                }
            }
        }
        long orders = 0;
        long unreadable = 0;
        try (KeyValueIterator<String, OrderState> all = byId.all()) {
            while (all.hasNext()) {
                KeyValue<String, OrderState> entry;
                try {
                    entry = all.next();
                } catch (SerializationException e) {
                    // a record that processing skipped as unreadable, copied as it is by the restore
                    unreadable++;
                    continue;
                }
                IndexKeys.entriesOf(OrderView.from(entry.value))
                        .forEach((index, key) -> indexes.get(index).put(key, entry.key));
                orders++;
            }
        }
        if (unreadable > 0) {
            log.warn("Partition {}: {} stored order states cannot be read and are not listed", partition, unreadable);
        }
        log.info(
                "Rebuilt the listing indexes of partition {} from {} orders in {} ms",
                partition,
                orders,
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void process(Record<String, OrderState> record) {
        String orderId = record.key();
        if (orderId == null) {
            log.warn("Ignoring order state without key: {}", record.value());
            return;
        }
        OrderState previous = byId.get(orderId);
        OrderState next = record.value();
        if (next != null && previous != null && next.getVersion() < previous.getVersion()) {
            log.debug(
                    "Ignoring stale state of order {}: version {} < stored {}",
                    orderId,
                    next.getVersion(),
                    previous.getVersion());
            return;
        }
        Map<Index, String> before = previous == null ? Map.of() : IndexKeys.entriesOf(OrderView.from(previous));
        Map<Index, String> after = next == null ? Map.of() : IndexKeys.entriesOf(OrderView.from(next));
        if (next == null) {
            byId.delete(orderId);
        } else {
            byId.put(orderId, next);
        }
        before.forEach((index, key) -> {
            if (!key.equals(after.get(index))) {
                indexes.get(index).delete(key);
            }
        });
        after.forEach((index, key) -> {
            if (!key.equals(before.get(index))) {
                indexes.get(index).put(key, orderId);
            }
        });
    }
}
