package io.orderpipeline.ingest.order;

import java.util.List;

/** The request cannot be accepted as it is; answered {@code 400} listing every violation. Nothing was written. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldViolation> violations;

    public InvalidRequestException(List<FieldViolation> violations) {
        super(violations.size() + " invalid field(s): " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
