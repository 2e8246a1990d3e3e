package io.orderpipeline.ingest.order;

/**
 * The caller's token does not let it act for an account its request names; answered {@code 403}, nothing written. For
 * a batch, one such order refuses the whole batch.
 */
public class AccountForbiddenException extends RuntimeException {

    public AccountForbiddenException(String detail) {
        super(detail);
    }
}
