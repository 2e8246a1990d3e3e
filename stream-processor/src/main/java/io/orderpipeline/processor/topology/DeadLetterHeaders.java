package io.orderpipeline.processor.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Headers of records on {@code orders.place.dlt} (and of retry records). Names and encodings are Spring Kafka's, so a
 * Spring {@code @KafkaListener} on the DLT reads them as it reads its own dead letters: strings are UTF-8, partition
 * and attempts are 4-byte big-endian ints, offset and timestamp 8-byte big-endian longs.
 */
public final class DeadLetterHeaders {

    /** Class name of the exception that ended the placement. */
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    /** Its message. */
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    /** Topic of the record that asked for the failed attempt: the command topic or a retry tier. */
    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    /** Partition of that record (int). */
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    /** Offset of that record (long). */
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    /** Attempts made (int); on a retry record: the number of the attempt it carries. */
    public static final String ATTEMPTS = "retry_topic-attempts";
    /** On a retry record: when the attempt is due, epoch millis as Spring's big-integer bytes. */
    public static final String BACKOFF_TIMESTAMP = "retry_topic-backoff-timestamp";

    private DeadLetterHeaders() {}

    public static byte[] text(String value) {
        return (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] int32(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    public static byte[] int64(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** The last header {@code name} as text, or {@code null}. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The last header {@code name} as a 4-byte int, or {@code -1}. */
    public static int int32(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? -1 : ByteBuffer.wrap(header.value()).getInt();
    }

    /** The last header {@code name} as an 8-byte long, or {@code -1}. */
    public static long int64(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? -1 : ByteBuffer.wrap(header.value()).getLong();
    }
}
