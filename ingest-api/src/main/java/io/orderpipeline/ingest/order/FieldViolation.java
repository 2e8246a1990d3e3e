package io.orderpipeline.ingest.order;

/**
 * One reason a request was refused, as listed in the {@code errors} member of a {@code 400} problem.
 *
 * @param field the JSON member (or {@code body}, or a header name such as {@code Idempotency-Key})
 * @param code a stable machine-readable code: {@code required}, {@code type}, {@code format}, {@code enum}, {@code
 *     too_long}, {@code out_of_range}, {@code scale}, {@code not_allowed}, {@code unknown_field}, {@code malformed}
 * @param message what is wrong, for humans
 */
public record FieldViolation(String field, String code, String message) {}
