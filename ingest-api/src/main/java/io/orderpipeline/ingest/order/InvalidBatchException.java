package io.orderpipeline.ingest.order;

import java.util.List;

/** No order of the batch is valid: answered {@code 400} with the per-order problems. Nothing was written. */
public class InvalidBatchException extends RuntimeException {

    private final List<BatchItem> items;

    public InvalidBatchException(List<BatchItem> items) {
        super("none of the " + items.size() + " orders of the batch is valid");
        this.items = List.copyOf(items);
    }

    public List<BatchItem> items() {
        return items;
    }
}
