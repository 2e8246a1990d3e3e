package io.orderpipeline.ingest.admin;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The operators' endpoints' own problems, answered as {@code application/problem+json} by Spring MVC. */
final class AdminProblems {

    static final URI DEAD_LETTER_NOT_FOUND = URI.create("urn:orderpipeline:problem:dead-letter-not-found");
    static final URI ALREADY_REDRIVEN = URI.create("urn:orderpipeline:problem:dead-letter-already-redriven");
    static final URI NOT_REDRIVABLE = URI.create("urn:orderpipeline:problem:dead-letter-not-redrivable");
    static final URI KAFKA_UNAVAILABLE = URI.create("urn:orderpipeline:problem:kafka-unavailable");

    private AdminProblems() {}

    /** {@code 404}: no record at the ref's partition and offset (never written, or gone with retention). */
    static ErrorResponseException notFound(DeadLetterRef ref) {
        return problem(
                HttpStatus.NOT_FOUND,
                DEAD_LETTER_NOT_FOUND,
                "Dead letter not found",
                "No record at " + ref.topic() + " partition " + ref.partition() + " offset " + ref.offset() + ".",
                ref);
    }

    /** {@code 409}: the ref was re-driven before (or is being re-driven by a concurrent request); nothing was written. */
    static ErrorResponseException alreadyRedriven(DeadLetterRef ref, String detail) {
        return problem(HttpStatus.CONFLICT, ALREADY_REDRIVEN, "Already re-driven", detail, ref);
    }

    /** {@code 422}: the dead letter does not say where it came from; nothing was written. */
    static ErrorResponseException notRedrivable(DeadLetterRef ref, String detail) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, NOT_REDRIVABLE, "Cannot be re-driven", detail, ref);
    }

    /** {@code 503}: Kafka did not answer in time; nothing was committed. */
    static ErrorResponseException unavailable(DeadLetterRef ref, Exception cause) {
        return problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                KAFKA_UNAVAILABLE,
                "Kafka unavailable",
                "The re-drive was not committed (" + cause.getMessage() + "); retry later.",
                ref,
                cause);
    }

    private static ErrorResponseException problem(
            HttpStatus status, URI type, String title, String detail, DeadLetterRef ref) {
        return problem(status, type, title, detail, ref, null);
    }

    private static ErrorResponseException problem(
            HttpStatus status, URI type, String title, String detail, DeadLetterRef ref, Throwable cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        problem.setProperty("ref", ref.ref());
        return new ErrorResponseException(status, problem, cause);
    }
}
