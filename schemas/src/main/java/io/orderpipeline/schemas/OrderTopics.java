package io.orderpipeline.schemas;

import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.PlacementAttempt;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the pipeline, declared once with its key and value serdes. Keys are plain UTF-8 strings
 * (order id, account id, or symbol for instruments) so that partitioning is readable by any client; values are Avro in
 * the Confluent wire format (see {@link AvroSerdes}).
 */
public record OrderTopics(
        TopicNames names,
        Topic<String, OrderCommand> commands,
        Topic<String, PlacementAttempt> deadLetter,
        Topic<String, OrderEvent> events,
        Topic<String, OrderState> state,
        Topic<String, Instrument> instruments,
        Topic<String, ExecutionReport> executions,
        Serde<PlacementAttempt> placementAttemptSerde) {

    public OrderTopics {
        Objects.requireNonNull(names, "names");
    }

    public static OrderTopics create(TopicNames names, AvroSerdes serdes) {
        Serde<String> keys = Serdes.String();
        Serde<PlacementAttempt> attempts = serdes.valueSerde(PlacementAttempt.class);
        return new OrderTopics(
                names,
                new Topic<>(names.commands(), keys, serdes.valueSerde(OrderCommand.class)),
                new Topic<>(names.deadLetter(), keys, attempts),
                new Topic<>(names.events(), keys, serdes.valueSerde(OrderEvent.class)),
                new Topic<>(names.state(), keys, serdes.valueSerde(OrderState.class)),
                new Topic<>(names.instruments(), keys, serdes.valueSerde(Instrument.class)),
                new Topic<>(names.executions(), keys, serdes.valueSerde(ExecutionReport.class)),
                attempts);
    }

    /** Retry tier {@code tier} (0-based); all tiers carry {@link PlacementAttempt}s. */
    public Topic<String, PlacementAttempt> retry(int tier) {
        return new Topic<>(names.retry(tier), Serdes.String(), placementAttemptSerde);
    }
}
