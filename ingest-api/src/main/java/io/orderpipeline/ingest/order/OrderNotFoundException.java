package io.orderpipeline.ingest.order;

/**
 * The order id is not routed to any account the caller acts for: as far as this caller can tell, no such order exists.
 * Answered {@code 404}, the same for another account's order and for an id that names no order at all.
 */
public class OrderNotFoundException extends RuntimeException {

    private final String orderId;

    public OrderNotFoundException(String orderId) {
        super("no order " + orderId + " among the caller's accounts");
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }
}
