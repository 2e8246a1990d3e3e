package io.orderpipeline.ingest.command;

/**
 * The command was not committed and never will be: it was refused before it was sent, or its transaction was (or,
 * once the broker is back, will be) aborted, so no {@code read_committed} consumer ever sees it. Answered {@code 503}
 * with {@code Retry-After}.
 */
public class CommandNotWrittenException extends RuntimeException {

    private final String orderId;

    public CommandNotWrittenException(String orderId, Throwable cause) {
        super("command for order " + orderId + " was not written: " + cause, cause);
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }
}
