package io.orderpipeline.query.deadletter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dead-letter browsing for operators ({@code orders:admin}, see {@code QuerySecurity}): the placement DLT ({@code
 * place}) and the stream-processor's DLQ ({@code dlq}), read straight from Kafka ({@link DeadLetterReader}), each entry
 * with whether it was re-driven ({@link RedriveMarks}). Re-driving itself is ingest-api's ({@code POST
 * /admin/dead-letters/{ref}/redrive}, proxied for the live page by {@code POST /api/admin/dead-letters/{ref}/redrive}).
 */
@Tag(name = "admin", description = "Operators: dead letters, replays, the venue")
@RestController
@RequestMapping("/admin/dead-letters")
class DeadLetterController {

    private final DeadLetterReader reader;
    private final RedriveMarks marks;
    private final DeadLetterProperties properties;

    DeadLetterController(DeadLetterReader reader, RedriveMarks marks, DeadLetterProperties properties) {
        this.reader = reader;
        this.marks = marks;
        this.properties = properties;
    }

    @Operation(
            summary = "Dead letters of one topic, newest first",
            description = "topic: place (orders.place.dlt) or dlq (orders.dlq). Cursor paging: pass nextCursor back.")
    @GetMapping
    DeadLetterReader.Page list(
            @RequestParam(defaultValue = "place") String topic,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int size = limit == null ? properties.defaultLimit() : limit;
        if (size < 1 || size > properties.maxLimit()) {
            throw new InvalidDeadLetterRequestException(
                    "limit", "limit must be between 1 and " + properties.maxLimit());
        }
        return reader.list(
                DeadLetterTopic.of(topic), size, cursor == null || cursor.isBlank() ? null : cursor, marks.all());
    }

    @Operation(summary = "Counts of dead letters by reason and by exception class, per topic")
    @GetMapping("/summary")
    Map<String, DeadLetterReader.TopicSummary> summary() {
        Map<String, DeadLetterReader.TopicSummary> summary = new LinkedHashMap<>();
        for (DeadLetterTopic topic : DeadLetterTopic.values()) {
            summary.put(topic.shortName(), reader.summary(topic));
        }
        return summary;
    }

    @Operation(summary = "One dead letter with its payload decoded (else base64) and every header")
    @GetMapping("/{ref}")
    DeadLetterEntry get(@PathVariable String ref) {
        DeadLetterRef parsed = DeadLetterRef.parse(ref);
        return reader.get(parsed, marks.all().get(parsed.toString()))
                .orElseThrow(() -> new DeadLetterNotFoundException(parsed.toString()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalid(InvalidDeadLetterRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid dead-letter request");
        problem.setType(URI.create("urn:orders:problem:invalid-query"));
        problem.setProperty("errors", Map.of(e.parameter(), e.getMessage()));
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(DeadLetterNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Dead letter not found");
        problem.setType(URI.create("urn:orders:problem:not-found"));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }

    static final class DeadLetterNotFoundException extends RuntimeException {
        DeadLetterNotFoundException(String ref) {
            super("no dead letter " + ref + " (never written, or deleted by retention)");
        }
    }
}
