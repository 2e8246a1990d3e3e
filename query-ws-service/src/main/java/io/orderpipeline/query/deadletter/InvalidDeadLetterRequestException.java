package io.orderpipeline.query.deadletter;

/** A bad parameter of a dead-letter request: 400 problem with {@code errors.<parameter>}. */
class InvalidDeadLetterRequestException extends RuntimeException {

    private final String parameter;

    InvalidDeadLetterRequestException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }
}
