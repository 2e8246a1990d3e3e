package io.orderpipeline.ingest.admin;

import io.orderpipeline.ingest.order.FieldViolation;
import io.orderpipeline.ingest.order.InvalidRequestException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dead letter's stable name, {@code <kind>-<partition>-<offset>}: {@code place} for the placement dead-letter topic
 * ({@code orders.topics.dead-letter}, FAILED orders), {@code dlq} for the stream-processor's dead-letter queue
 * ({@code orders.topics.dead-letter-queue}, poison records). query-ws-service lists them with the same refs.
 */
record DeadLetterRef(String kind, String topic, int partition, long offset) {

    static final String PLACE = "place";
    static final String DLQ = "dlq";

    private static final Pattern FORMAT = Pattern.compile("(place|dlq)-(\\d{1,9})-(\\d{1,18})");

    /**
     * @throws InvalidRequestException ({@code 400}) if {@code ref} is not a ref
     */
    static DeadLetterRef parse(String ref, String placeTopic, String dlqTopic) {
        Matcher matcher = ref == null ? null : FORMAT.matcher(ref);
        if (matcher == null || !matcher.matches()) {
            throw new InvalidRequestException(List.of(new FieldViolation(
                    "ref", "format", "must be <place|dlq>-<partition>-<offset>, as GET /admin/dead-letters lists it")));
        }
        String kind = matcher.group(1);
        return new DeadLetterRef(
                kind,
                PLACE.equals(kind) ? placeTopic : dlqTopic,
                Integer.parseInt(matcher.group(2)),
                Long.parseLong(matcher.group(3)));
    }

    String ref() {
        return kind + "-" + partition + "-" + offset;
    }

    /**
     * The transactional id of every re-drive of this dead letter, on any instance: two re-drives of one ref fence each
     * other, so at most one of them commits. Names the full topic, so refs of differently named topics never meet.
     */
    String transactionalId() {
        return "ingest-api-redrive-" + topic + "-" + partition + "-" + offset;
    }
}
