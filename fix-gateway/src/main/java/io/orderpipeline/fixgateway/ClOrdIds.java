package io.orderpipeline.fixgateway;

/**
 * The pipeline's ClOrdID(11) scheme. A NewOrderSingle carries the order id itself; a cancel or replace request carries
 * {@code <orderId>:c<n>} / {@code <orderId>:a<n>}, {@code n} being the order's state version when the request was
 * made, so a replayed request has the same id and the venue, idempotent by ClOrdID, acts on it once.
 */
public final class ClOrdIds {

    private ClOrdIds() {}

    public static String cancel(String orderId, long version) {
        return orderId + ":c" + version;
    }

    public static String replace(String orderId, long version) {
        return orderId + ":a" + version;
    }

    /** The order id a ClOrdID belongs to: the part before the first {@code ':'}, or the whole id. */
    public static String rootOrderId(String clOrdId) {
        int colon = clOrdId.indexOf(':');
        return colon < 0 ? clOrdId : clOrdId.substring(0, colon);
    }
}
