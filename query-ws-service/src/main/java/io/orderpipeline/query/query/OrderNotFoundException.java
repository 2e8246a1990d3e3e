package io.orderpipeline.query.query;

/** The copy that owns an order's partition does not know the order. Maps to {@code 404}. */
class OrderNotFoundException extends RuntimeException {

    OrderNotFoundException(String orderId) {
        super("order " + orderId + " not found");
    }
}
