package io.orderpipeline.query.view;

import io.orderpipeline.schemas.Topic;
import io.orderpipeline.schemas.avro.OrderState;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The read-side topology, a plain function: {@code orders.state} is materialized into {@value #ORDERS_BY_ID} and kept
 * in step with the listing indexes of {@link Index}: {@value #ORDERS_BY_CREATED}, {@value #ORDERS_BY_STATUS}, {@value
 * #ORDERS_BY_SYMBOL}, {@value #ORDERS_BY_SYMBOL_STATUS}, and the same four per account ({@value #ORDERS_BY_ACCOUNT},
 * …), which a principal's listing merges over its accounts.
 *
 * <p><b>It writes nothing back to Kafka.</b> {@value #ORDERS_BY_ID} is a read-only state store
 * ({@link Topology#addReadOnlyStateStore}): {@code orders.state} itself is its changelog, so restoring it and keeping
 * a standby copy read that topic and no changelog topic exists. The indexes are derived from it and are not logged
 * either: an active task rebuilds them from {@value #ORDERS_BY_ID} when it starts processing (after its restore, on
 * every assignment and restart), then moves an order's entries as its state changes ({@link OrderIndexer}). Until a
 * partition's indexes are rebuilt, and on standby copies which never maintain them, {@link IndexReadiness} says so and
 * a listing reads the by-id store instead ({@link LocalOrderStore}).
 *
 * <p>One processor owns all stores of a partition, so an order's row and its index entries change together in
 * one task. A record whose version is lower than the stored one is ignored (the topic is ordered per key, so this only
 * guards against replays; a restore copies the topic as it is). A tombstone removes the order and its entries. Stores
 * are not cached: a processed record is visible to interactive queries at once.
 */
public final class OrderViewTopology {

    public static final String ORDERS_BY_ID = "orders-by-id";
    public static final String ORDERS_BY_CREATED = "orders-by-created";
    public static final String ORDERS_BY_STATUS = "orders-by-status";
    public static final String ORDERS_BY_SYMBOL = "orders-by-symbol";
    public static final String ORDERS_BY_SYMBOL_STATUS = "orders-by-symbol-status";
    public static final String ORDERS_BY_ACCOUNT = "orders-by-account";
    public static final String ORDERS_BY_ACCOUNT_STATUS = "orders-by-account-status";
    public static final String ORDERS_BY_ACCOUNT_SYMBOL = "orders-by-account-symbol";
    public static final String ORDERS_BY_ACCOUNT_SYMBOL_STATUS = "orders-by-account-symbol-status";

    static final String SOURCE = "orders-state-source";
    static final String INDEXER = "index-orders";

    private OrderViewTopology() {}

    /**
     * @param stateTopic {@code orders.state} with its serdes
     * @param persistent RocksDB stores (state survives restarts, range scans cost what they return) or in-memory
     * @param readiness where the indexer records which partitions' indexes are built (one per Streams client owner)
     */
    public record Settings(Topic<String, OrderState> stateTopic, boolean persistent, IndexReadiness readiness) {
        public Settings {
            Objects.requireNonNull(stateTopic, "stateTopic");
            Objects.requireNonNull(readiness, "readiness");
        }

        public Settings(Topic<String, OrderState> stateTopic, boolean persistent) {
            this(stateTopic, persistent, new IndexReadiness());
        }
    }

    public static Topology build(Settings settings) {
        Topic<String, OrderState> topic = settings.stateTopic();
        Topology topology = new Topology();
        topology.addReadOnlyStateStore(
                Stores.keyValueStoreBuilder(
                                supplier(ORDERS_BY_ID, settings.persistent()), Serdes.String(), topic.valueSerde())
                        .withCachingDisabled(),
                SOURCE,
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer(),
                topic.name(),
                INDEXER,
                () -> new OrderIndexer(settings.readiness()));
        for (Index index : Index.values()) {
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                                    supplier(index.storeName(), settings.persistent()),
                                    Serdes.String(),
                                    Serdes.String())
                            .withCachingDisabled()
                            .withLoggingDisabled(),
                    INDEXER);
        }
        return topology;
    }

    private static KeyValueBytesStoreSupplier supplier(String name, boolean persistent) {
        return persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }
}
