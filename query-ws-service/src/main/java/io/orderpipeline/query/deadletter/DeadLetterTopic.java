package io.orderpipeline.query.deadletter;

import java.util.Locale;

/** The two dead-letter topics by their short name, which is also the first part of a {@code ref}. */
enum DeadLetterTopic {
    /** {@code orders.place.dlt}: placements that failed for good (retries exhausted or a fatal venue reject). */
    PLACE,
    /** {@code orders.dlq}: records the stream-processor could not deserialize or process. */
    DLQ;

    String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeadLetterTopic of(String shortName) {
        for (DeadLetterTopic topic : values()) {
            if (topic.shortName().equals(shortName)) {
                return topic;
            }
        }
        throw new InvalidDeadLetterRequestException("topic", "topic must be place or dlq");
    }
}
