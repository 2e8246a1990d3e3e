package io.orderpipeline.processor.topology;

/**
 * A command that cannot be an order (no orderId, a PLACE without account or side, a key that is not its orderId).
 * Thrown before anything is written, so the processing exception handler sends the record to the dead-letter queue
 * and the pipeline goes on.
 */
public class MalformedCommandException extends RuntimeException {

    public MalformedCommandException(String message) {
        super(message);
    }
}
