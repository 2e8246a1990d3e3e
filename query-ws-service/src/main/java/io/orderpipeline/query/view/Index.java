package io.orderpipeline.query.view;

/** The listing indexes, each a named key-value store of {@code index key -> orderId} (see {@link IndexKeys}). */
public enum Index {
    /** All orders, newest first. */
    CREATED(OrderViewTopology.ORDERS_BY_CREATED),
    /** Orders of one status, newest first. */
    STATUS(OrderViewTopology.ORDERS_BY_STATUS),
    /** Orders of one symbol, newest first. */
    SYMBOL(OrderViewTopology.ORDERS_BY_SYMBOL),
    /** Orders of one symbol and status, newest first. */
    SYMBOL_STATUS(OrderViewTopology.ORDERS_BY_SYMBOL_STATUS);

    private final String storeName;

    Index(String storeName) {
        this.storeName = storeName;
    }

    public String storeName() {
        return storeName;
    }

    /** The narrowest index that answers a filter, so a page never scans entries it has to throw away. */
    public static Index forFilter(String status, String symbol) {
        if (status != null && symbol != null) {
            return SYMBOL_STATUS;
        }
        if (status != null) {
            return STATUS;
        }
        return symbol != null ? SYMBOL : CREATED;
    }
}
