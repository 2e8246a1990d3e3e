package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.OrderEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's copy of {@value OrderViewTopology#ORDER_EVENTS}. It is a global store: every instance holds
 * every order's events, so a history is always read here, never forwarded. A page is one range scan from the cursor,
 * its cost grows with the page size only.
 */
@Component
public class LocalHistory {

    private final OrderViewStreams streams;

    LocalHistory(OrderViewStreams streams) {
        this.streams = streams;
    }

    /** One event and its position (what a cursor after it carries). */
    public record Entry(String position, OrderEvent event) {}

    /**
     * Up to {@code count} events of the order after {@code afterPosition} ({@code null}: from the first), oldest
     * first.
     *
     * @throws StoreUnavailableException while the store cannot be read (the client is starting or restoring)
     */
    public List<Entry> page(String orderId, String afterPosition, int count) {
        String prefix = HistoryKeys.prefix(orderId);
        String from = afterPosition == null ? prefix : prefix + afterPosition + HistoryKeys.SEPARATOR;
        List<Entry> entries = new ArrayList<>();
        try (KeyValueIterator<String, OrderEvent> range = store().range(from, HistoryKeys.upperBound(orderId))) {
            while (range.hasNext() && entries.size() < count) {
                KeyValue<String, OrderEvent> next = range.next();
                entries.add(new Entry(next.key.substring(prefix.length()), next.value));
            }
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new StoreUnavailableException("order history not readable yet: " + e.getMessage(), e);
        }
        return entries;
    }

    private ReadOnlyKeyValueStore<String, OrderEvent> store() {
        KafkaStreams client = streams.streamsOrNull();
        if (client == null) {
            throw new StoreUnavailableException("Kafka Streams is not started");
        }
        return client.store(StoreQueryParameters.fromNameAndType(
                OrderViewTopology.ORDER_EVENTS, QueryableStoreTypes.<String, OrderEvent>keyValueStore()));
    }
}
