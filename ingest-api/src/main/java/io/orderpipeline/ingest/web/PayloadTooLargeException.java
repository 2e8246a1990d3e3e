package io.orderpipeline.ingest.web;

import java.io.IOException;

/** The request body exceeds {@code orders.ingest.limits.max-body-size}; answered {@code 413}. */
public class PayloadTooLargeException extends IOException {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
