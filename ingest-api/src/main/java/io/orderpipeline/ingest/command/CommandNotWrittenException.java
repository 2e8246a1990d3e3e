package io.orderpipeline.ingest.command;

/**
 * Kafka did not acknowledge a command within the producer's bounds ({@code max.block.ms}, {@code
 * delivery.timeout.ms}); answered {@code 503} with {@code Retry-After}. See {@link CommandLog} for what that does and
 * does not promise.
 */
public class CommandNotWrittenException extends RuntimeException {

    private final String orderId;

    public CommandNotWrittenException(String orderId, Throwable cause) {
        super("command for order " + orderId + " was not acknowledged by Kafka: " + cause, cause);
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }
}
