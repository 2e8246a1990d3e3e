package io.orderpipeline.ingest.order;

/** A batch with more orders than {@code orders.ingest.batch.max-items}; answered {@code 413}. Nothing was written. */
public class BatchTooLargeException extends RuntimeException {

    private final int items;
    private final int maxItems;

    public BatchTooLargeException(int items, int maxItems) {
        super("batch of " + items + " orders; at most " + maxItems + " are accepted");
        this.items = items;
        this.maxItems = maxItems;
    }

    public int items() {
        return items;
    }

    public int maxItems() {
        return maxItems;
    }
}
