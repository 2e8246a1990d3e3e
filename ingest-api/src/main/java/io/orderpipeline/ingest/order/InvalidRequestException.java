package io.orderpipeline.ingest.order;

import java.util.List;
import java.util.stream.Collectors;

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

    /** The {@code detail} of the {@code 400} problem for {@code violations}. */
    public static String detail(List<FieldViolation> violations) {
        String fields =
                violations.stream().map(FieldViolation::field).distinct().collect(Collectors.joining(", "));
        return violations.size() + " invalid field(s): " + fields;
    }
}
