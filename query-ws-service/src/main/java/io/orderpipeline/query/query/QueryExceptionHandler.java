package io.orderpipeline.query.query;

import io.orderpipeline.query.view.QueryProperties;
import io.orderpipeline.query.view.StoreUnavailableException;
import io.orderpipeline.security.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Maps query failures to {@code application/problem+json}. */
@RestControllerAdvice
class QueryExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(QueryExceptionHandler.class);

    private final String retryAfterSeconds;

    QueryExceptionHandler(QueryProperties properties) {
        this.retryAfterSeconds =
                Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(OrderNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Order not found");
        problem.setType(URI.create("urn:orders:problem:not-found"));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> accountNotVisible(AccountNotVisibleException e, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemResponses.forbidden(request.getRequestURI(), e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalid(InvalidQueryException e) {
        return badRequest(e.parameter(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return badRequest(e.getName(), "'" + e.getValue() + "' is not a valid value of " + e.getName());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(StoreUnavailableException e) {
        log.info("Query answered 503: {}", e.getMessage());
        return unavailable("Order state temporarily unavailable", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooManyWaiters(TooManyWaitersException e) {
        return unavailable("Too many waiting requests", e.getMessage());
    }

    private ResponseEntity<ProblemDetail> unavailable(String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle(title);
        problem.setType(URI.create("urn:orders:problem:unavailable"));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(problem);
    }

    private static ResponseEntity<ProblemDetail> badRequest(String parameter, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, message);
        problem.setTitle("Invalid query parameter");
        problem.setType(URI.create("urn:orders:problem:invalid-query"));
        problem.setProperty("errors", Map.of(parameter, message));
        return ResponseEntity.badRequest().body(problem);
    }
}
