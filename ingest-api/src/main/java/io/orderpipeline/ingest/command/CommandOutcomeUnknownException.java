package io.orderpipeline.ingest.command;

/**
 * The broker was lost while committing the transaction that holds the command: it may or may not become visible.
 * Answered {@code 503} (problem type {@code outcome-unknown}) with {@code Retry-After}; a retry with the same
 * {@code Idempotency-Key} is safe either way, because it names the same order id and the topology keeps only the first
 * PLACE of an order.
 */
public class CommandOutcomeUnknownException extends RuntimeException {

    public CommandOutcomeUnknownException(String orderId, Throwable cause) {
        super("commit of the command for order " + orderId + " was not confirmed: " + cause, cause);
    }
}
