package io.orderpipeline.query.deadletter;

/**
 * A dead-letter record's stable name, {@code <topic-short>-<partition>-<offset>} ({@code place-1-42}): an offset never
 * changes, so the ref names one record for as long as the topic keeps it.
 */
record DeadLetterRef(DeadLetterTopic topic, int partition, long offset) {

    static DeadLetterRef parse(String ref) {
        String[] parts = ref == null ? new String[0] : ref.split("-");
        if (parts.length != 3) {
            throw new InvalidDeadLetterRequestException("ref", "ref must be <place|dlq>-<partition>-<offset>");
        }
        try {
            int partition = Integer.parseInt(parts[1]);
            long offset = Long.parseLong(parts[2]);
            if (partition < 0 || offset < 0) {
                throw new NumberFormatException();
            }
            return new DeadLetterRef(DeadLetterTopic.of(parts[0]), partition, offset);
        } catch (NumberFormatException e) {
            throw new InvalidDeadLetterRequestException("ref", "ref must be <place|dlq>-<partition>-<offset>");
        }
    }

    @Override
    public String toString() {
        return topic.shortName() + "-" + partition + "-" + offset;
    }
}
