package io.orderpipeline.ingest.web;

import io.orderpipeline.ingest.IngestMetrics;
import io.orderpipeline.ingest.order.BatchItem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Problem types of ingest-api, and writing one where Spring MVC's exception handling does not reach (filters). */
@Component
public class ProblemWriter {

    /** Also the type of each refused order of a batch (declared there: the order package knows no web types). */
    static final URI INVALID_REQUEST = BatchItem.Problem.INVALID_REQUEST;

    static final URI PAYLOAD_TOO_LARGE = URI.create("urn:orderpipeline:problem:payload-too-large");
    static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("urn:orderpipeline:problem:unsupported-media-type");
    static final URI IDEMPOTENCY_CONFLICT = URI.create("urn:orderpipeline:problem:idempotency-key-reused");
    static final URI KAFKA_UNAVAILABLE = URI.create("urn:orderpipeline:problem:kafka-unavailable");
    static final URI OUTCOME_UNKNOWN = URI.create("urn:orderpipeline:problem:outcome-unknown");
    static final URI STORE_LOADING = URI.create("urn:orderpipeline:problem:idempotency-store-unavailable");
    static final URI BATCH_TOO_LARGE = URI.create("urn:orderpipeline:problem:batch-too-large");
    /** The type Spring Security's 403 uses too ({@code io.orderpipeline.security.ProblemResponses}). */
    static final URI FORBIDDEN = URI.create("urn:orderpipeline:problem:forbidden");

    static final URI ORDER_NOT_FOUND = URI.create("urn:orderpipeline:problem:order-not-found");
    static final URI INTERNAL = URI.create("urn:orderpipeline:problem:internal");

    private final IngestMetrics metrics;
    private final JsonMapper json = JsonMapper.builder().build();

    ProblemWriter(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    static ProblemDetail payloadTooLarge(long limit) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than " + limit + " bytes.");
        problem.setType(PAYLOAD_TOO_LARGE);
        problem.setTitle("Request body too large");
        return problem;
    }

    void payloadTooLarge(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        metrics.rejected("payload_too_large");
        ProblemDetail problem = payloadTooLarge(limit);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // the client may still be sending; do not keep the connection for a body we refuse to read
        response.setHeader("Connection", "close");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance().toString());
        json.writeValue(response.getOutputStream(), body);
    }
}
