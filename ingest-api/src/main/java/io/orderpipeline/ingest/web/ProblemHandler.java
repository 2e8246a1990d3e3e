package io.orderpipeline.ingest.web;

import io.orderpipeline.ingest.IngestMetrics;
import io.orderpipeline.ingest.IngestSettings;
import io.orderpipeline.ingest.command.CommandNotWrittenException;
import io.orderpipeline.ingest.command.CommandOutcomeUnknownException;
import io.orderpipeline.ingest.idempotency.IdempotencyConflictException;
import io.orderpipeline.ingest.idempotency.IdempotencyStoreUnavailableException;
import io.orderpipeline.ingest.order.AccountForbiddenException;
import io.orderpipeline.ingest.order.BatchTooLargeException;
import io.orderpipeline.ingest.order.FieldViolation;
import io.orderpipeline.ingest.order.InvalidBatchException;
import io.orderpipeline.ingest.order.InvalidRequestException;
import io.orderpipeline.ingest.order.OrderNotFoundException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every failure to an RFC 9457 {@code application/problem+json} answer and counts it. The statuses are the
 * contract: 400 invalid input (member {@code errors} lists every bad field; for a batch without a valid order,
 * member {@code items} lists each order's problem), 413 body or batch too large, 415 not JSON, 422
 * Idempotency-Key reused with another body, 403 an account the token does not act for, 404 a cancel of an order
 * that is not among the caller's accounts (401 and 403 for a missing or insufficient token are Spring Security's,
 * written by {@code io.orderpipeline.security.ProblemResponses}), 503 + {@code Retry-After} when Kafka (or the idempotency store) is not
 * available. None of the 4xx/5xx answers corresponds to a written command, except {@code outcome-unknown} (503): the
 * broker was lost during the commit itself, see {@code CommandLog}.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final IngestMetrics metrics;
    private final long retryAfterSeconds;

    ProblemHandler(IngestMetrics metrics, IngestSettings settings) {
        this.metrics = metrics;
        this.retryAfterSeconds = Math.max(1, (settings.producer().retryAfter().toMillis() + 999) / 1000);
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        metrics.rejected("invalid");
        return problem(invalidRequest(e.violations()));
    }

    @ExceptionHandler(InvalidBatchException.class)
    ResponseEntity<ProblemDetail> invalidBatch(InvalidBatchException e) {
        metrics.rejected("invalid");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                "None of the " + e.items().size() + " orders is valid; nothing was written. Each item says why.");
        problem.setType(ProblemWriter.INVALID_REQUEST);
        problem.setTitle("Invalid request");
        problem.setProperty("accepted", 0);
        problem.setProperty("rejected", e.items().size());
        problem.setProperty("items", e.items());
        return problem(problem);
    }

    @ExceptionHandler(AccountForbiddenException.class)
    ResponseEntity<ProblemDetail> forbidden(AccountForbiddenException e) {
        metrics.rejected("forbidden_account");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        problem.setType(ProblemWriter.FORBIDDEN);
        problem.setTitle("Forbidden");
        return problem(problem);
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(OrderNotFoundException e) {
        metrics.rejected("order_not_found");
        // says nothing about whether the order exists elsewhere: the same answer for another account's order
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.NOT_FOUND, "No order " + e.orderId() + " among the accounts of this token.");
        problem.setType(ProblemWriter.ORDER_NOT_FOUND);
        problem.setTitle("Order not found");
        return problem(problem);
    }

    @ExceptionHandler(BatchTooLargeException.class)
    ResponseEntity<ProblemDetail> batchTooLarge(BatchTooLargeException e) {
        metrics.rejected("batch_too_large");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE,
                "The batch has " + e.items() + " orders; at most " + e.maxItems()
                        + " are accepted in one request. Nothing was written; split it.");
        problem.setType(ProblemWriter.BATCH_TOO_LARGE);
        problem.setTitle("Batch too large");
        problem.setProperty(
                "errors",
                List.of(new FieldViolation(
                        "body", "too_many_items", "must hold at most " + e.maxItems() + " orders, got " + e.items())));
        return problem(problem);
    }

    @ExceptionHandler(CommandNotWrittenException.class)
    ResponseEntity<ProblemDetail> notWritten(CommandNotWrittenException e) {
        metrics.failed("kafka_unavailable");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Kafka did not take the command in time; it was not written and never will be. Retry later.");
        problem.setType(ProblemWriter.KAFKA_UNAVAILABLE);
        problem.setTitle("Order log unavailable");
        return retryLater(problem);
    }

    @ExceptionHandler(CommandOutcomeUnknownException.class)
    ResponseEntity<ProblemDetail> outcomeUnknown(CommandOutcomeUnknownException e) {
        metrics.failed("outcome_unknown");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Kafka went away while committing the command; it may or may not take effect. Retry with the same"
                        + " Idempotency-Key: the retry names the same order, which is never placed twice.");
        problem.setType(ProblemWriter.OUTCOME_UNKNOWN);
        problem.setTitle("Outcome unknown");
        return retryLater(problem);
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ResponseEntity<ProblemDetail> conflict(IdempotencyConflictException e) {
        metrics.rejected("idempotency_conflict");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "This Idempotency-Key was already used with a different request body; nothing was written."
                        + " Use a new key for a new order.");
        problem.setType(ProblemWriter.IDEMPOTENCY_CONFLICT);
        problem.setTitle("Idempotency-Key reused");
        problem.setProperty(
                "errors",
                List.of(new FieldViolation(
                        "Idempotency-Key", "reused", "was already used with a different request body")));
        return problem(problem);
    }

    @ExceptionHandler(IdempotencyStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(IdempotencyStoreUnavailableException e) {
        metrics.failed("idempotency_store_unavailable");
        log.warn("Keyed request refused: {}", e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "Idempotency keys cannot be checked right now (starting up or Kafka unreachable); nothing was"
                        + " written. Retry later with the same Idempotency-Key.");
        problem.setType(ProblemWriter.STORE_LOADING);
        problem.setTitle("Idempotency store unavailable");
        return retryLater(problem);
    }

    @ExceptionHandler(CompletionException.class)
    ResponseEntity<?> completion(CompletionException e) throws Exception {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidRequestException invalid) {
            return invalid(invalid);
        }
        if (cause instanceof CommandNotWrittenException notWritten) {
            return notWritten(notWritten);
        }
        if (cause instanceof CommandOutcomeUnknownException unknown) {
            return outcomeUnknown(unknown);
        }
        if (cause instanceof IdempotencyConflictException conflict) {
            return conflict(conflict);
        }
        if (cause instanceof IdempotencyStoreUnavailableException unavailable) {
            return storeUnavailable(unavailable);
        }
        return unexpected(cause == null ? e : cause);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Throwable e) {
        log.error("Unexpected failure while handling a request", e);
        metrics.failed("internal");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error; the command was not accepted.");
        problem.setType(ProblemWriter.INTERNAL);
        problem.setTitle("Internal error");
        return problem(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        metrics.rejected("unsupported_media_type");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + (ex.getContentType() == null ? "(none)" : ex.getContentType())
                        + " is not supported; send application/json.");
        problem.setType(ProblemWriter.UNSUPPORTED_MEDIA_TYPE);
        problem.setTitle("Unsupported media type");
        problem.setProperty(
                "errors", List.of(new FieldViolation("Content-Type", "unsupported", "must be application/json")));
        HttpHeaders out = new HttpHeaders();
        out.setAccept(List.of(MediaType.APPLICATION_JSON));
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, out, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                metrics.rejected("payload_too_large");
                return new ResponseEntity<>(ProblemWriter.payloadTooLarge(tooLarge.limit()), problemHeaders(), 413);
            }
        }
        metrics.rejected("invalid");
        ProblemDetail problem =
                invalidRequest(List.of(new FieldViolation("body", "malformed", "the request body could not be read")));
        return new ResponseEntity<>(problem, problemHeaders(), HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        // 404, 405, 406 ... from Spring MVC itself: keep its problem body, count it
        if (statusCode.is4xxClientError()) {
            metrics.rejected("other");
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    static ProblemDetail invalidRequest(List<FieldViolation> violations) {
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, InvalidRequestException.detail(violations));
        problem.setType(ProblemWriter.INVALID_REQUEST);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", violations);
        return problem;
    }

    private ResponseEntity<ProblemDetail> retryLater(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(problem);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static HttpHeaders problemHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return headers;
    }
}
