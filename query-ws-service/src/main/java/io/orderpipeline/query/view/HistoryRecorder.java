package io.orderpipeline.query.view;

import io.orderpipeline.schemas.avro.OrderEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Files every event of {@code orders.events} under its {@link HistoryKeys history key}. It runs on the global thread,
 * both for new events and when the store is rebuilt from the topic (Kafka Streams reprocesses a global store's topic
 * through its processor), so the store needs no changelog.
 */
final class HistoryRecorder implements Processor<String, OrderEvent, Void, Void> {

    private KeyValueStore<String, OrderEvent> history;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        history = context.getStateStore(OrderViewTopology.ORDER_EVENTS);
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        OrderEvent event = record.value();
        if (event == null || event.getOrderId() == null) {
            return; // events are never deleted; a tombstone or a malformed record says nothing about an order
        }
        history.put(HistoryKeys.key(event), event);
    }
}
