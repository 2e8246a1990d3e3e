package io.orderpipeline.query.query;

/** The long-poll limits are reached. Maps to {@code 503} with {@code Retry-After}. */
class TooManyWaitersException extends RuntimeException {

    TooManyWaitersException(String message) {
        super(message);
    }
}
