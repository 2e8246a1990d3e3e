package io.orderpipeline.query.view;

import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.OrderState;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-side topology, a plain function over {@link StreamsBuilder}: {@code orders.state} is materialized into
 * {@value #ORDERS_BY_ID} and kept in step with four listing indexes ({@value #ORDERS_BY_CREATED},
 * {@value #ORDERS_BY_STATUS}, {@value #ORDERS_BY_SYMBOL}, {@value #ORDERS_BY_SYMBOL_STATUS}).
 *
 * <p>One processor owns all five stores of a partition, so an order's row and its index entries change together in
 * one task; an index entry that no longer matches is removed when the order's status changes. A record whose version
 * is lower than the stored one is ignored (the topic is ordered per key, so this only guards against replays). A
 * tombstone removes the order and its entries. Stores are not cached: a processed record is visible to interactive
 * queries at once.
 */
public final class OrderViewTopology {

    public static final String ORDERS_BY_ID = "orders-by-id";
    public static final String ORDERS_BY_CREATED = "orders-by-created";
    public static final String ORDERS_BY_STATUS = "orders-by-status";
    public static final String ORDERS_BY_SYMBOL = "orders-by-symbol";
    public static final String ORDERS_BY_SYMBOL_STATUS = "orders-by-symbol-status";

    static final String SOURCE = "orders-state-source";
    static final String INDEXER = "index-orders";

    private OrderViewTopology() {}

    /**
     * @param stateTopic {@code orders.state} with its serdes
     * @param persistent RocksDB stores (state survives restarts, range scans cost what they return) or in-memory
     */
    public record Settings(Topic<String, OrderState> stateTopic, boolean persistent) {
        public Settings {
            Objects.requireNonNull(stateTopic, "stateTopic");
        }
    }

    public static StreamsBuilder build(StreamsBuilder builder, Settings settings) {
        Topic<String, OrderState> topic = settings.stateTopic();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        supplier(ORDERS_BY_ID, settings.persistent()), Serdes.String(), topic.valueSerde())
                .withCachingDisabled());
        for (Index index : Index.values()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                            supplier(index.storeName(), settings.persistent()), Serdes.String(), Serdes.String())
                    .withCachingDisabled());
        }
        builder.stream(topic.name(), topic.consumed().withName(SOURCE))
                .process(
                        OrderIndexer::new,
                        Named.as(INDEXER),
                        ORDERS_BY_ID,
                        ORDERS_BY_CREATED,
                        ORDERS_BY_STATUS,
                        ORDERS_BY_SYMBOL,
                        ORDERS_BY_SYMBOL_STATUS);
        return builder;
    }

    private static KeyValueBytesStoreSupplier supplier(String name, boolean persistent) {
        return persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    /** Writes an order's latest state and moves its index entries. */
    static final class OrderIndexer implements Processor<String, OrderState, Void, Void> {

        private static final Logger log = LoggerFactory.getLogger(OrderIndexer.class);

        private KeyValueStore<String, OrderState> byId;
        private Map<String, KeyValueStore<String, String>> indexes;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            byId = context.getStateStore(ORDERS_BY_ID);
            indexes = Map.of(
                    ORDERS_BY_CREATED, context.getStateStore(ORDERS_BY_CREATED),
                    ORDERS_BY_STATUS, context.getStateStore(ORDERS_BY_STATUS),
                    ORDERS_BY_SYMBOL, context.getStateStore(ORDERS_BY_SYMBOL),
                    ORDERS_BY_SYMBOL_STATUS, context.getStateStore(ORDERS_BY_SYMBOL_STATUS));
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
            Map<String, String> before = previous == null ? Map.of() : IndexKeys.entriesOf(OrderView.from(previous));
            Map<String, String> after = next == null ? Map.of() : IndexKeys.entriesOf(OrderView.from(next));
            if (next == null) {
                byId.delete(orderId);
            } else {
                byId.put(orderId, next);
            }
            before.forEach((store, key) -> {
                if (!key.equals(after.get(store))) {
                    indexes.get(store).delete(key);
                }
            });
            after.forEach((store, key) -> {
                if (!key.equals(before.get(store))) {
                    indexes.get(store).put(key, orderId);
                }
            });
        }
    }
}
