package io.orderpipeline.ingest.admin;

import io.orderpipeline.ingest.order.FieldViolation;
import io.orderpipeline.ingest.order.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of a bulk operator request: a JSON array of strings, or an object holding it under one field ({@code
 * {"orderIds":[…]}}, {@code {"refs":[…]}}; query-ws-service's filtered replay sends the object form).
 */
final class BulkBody {

    private BulkBody() {}

    /**
     * @throws InvalidRequestException ({@code 400}) if the body is neither form, has a non-string item, or holds fewer
     *     than 1 or more than {@code max} items
     */
    static List<String> strings(JsonNode body, String field, int max) {
        JsonNode items = body != null && body.isObject() ? body.get(field) : body;
        List<String> values = new ArrayList<>();
        boolean valid = items != null && items.isArray() && !items.isEmpty() && items.size() <= max;
        if (valid) {
            for (JsonNode item : items) {
                valid &= item.isString();
                values.add(item.isString() ? item.stringValue() : null);
            }
        }
        if (!valid) {
            throw new InvalidRequestException(List.of(new FieldViolation(
                    "body", "format", "must be a JSON array of 1 to " + max + " strings, or {\"" + field + "\":[…]}")));
        }
        return values;
    }
}
