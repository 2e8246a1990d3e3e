package io.orderpipeline.query.query;

/** A query parameter is out of range or malformed. Maps to {@code 400} naming the parameter. */
class InvalidQueryException extends RuntimeException {

    private final String parameter;

    InvalidQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
