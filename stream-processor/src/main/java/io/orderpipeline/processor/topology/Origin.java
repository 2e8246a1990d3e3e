package io.orderpipeline.processor.topology;

import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Where a record that asked for a placement attempt was read; goes into dead-letter headers. */
record Origin(String topic, int partition, long offset) {

    static final Origin NONE = new Origin(null, -1, -1);

    static Origin of(Optional<RecordMetadata> metadata) {
        return metadata.map(m -> new Origin(m.topic(), m.partition(), m.offset()))
                .orElse(NONE);
    }
}
