package io.orderpipeline.query.view;

import io.orderpipeline.query.kafka.RegistryOutage;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side's deserialization policy. A record that cannot be read is logged and skipped: the read side owns no
 * dead-letter topic (the stream-processor does). But a record whose writer schema cannot be fetched because the
 * registry is unreachable is valid: skipping it, as Kafka's {@code LogAndContinueExceptionHandler} would, loses that
 * order's state from the stores. Such a failure fails the stream thread instead; the thread is replaced after a
 * backoff ({@link OrderViewStreams}) and reads the record again from the last committed offset.
 */
public class ReadAgainOnRegistryOutage implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ReadAgainOnRegistryOutage.class);

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (RegistryOutage.isOutage(exception)) {
            log.warn(
                    "Cannot fetch the schema of {}-{}@{} (registry unreachable); failing the stream thread so that"
                            + " it is read again",
                    record.topic(),
                    record.partition(),
                    record.offset());
            return Response.fail();
        }
        log.warn(
                "Skipping unreadable record {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                exception.toString());
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}
