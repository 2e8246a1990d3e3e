package io.orderpipeline.query.query;

import io.orderpipeline.query.view.EventView;
import io.orderpipeline.query.view.HistoryKeys;
import io.orderpipeline.query.view.LocalHistory;
import io.orderpipeline.query.view.QueryProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An order's history: every event of {@code orders.events} for it, oldest first, cursor-paged. Who may read it is
 * decided exactly as for {@code GET /orders/{id}}: the order is looked up first (forwarded to its owner if need be),
 * and an unknown order or one of an account the token does not grant is 404 — before any event is read. The events
 * themselves come from this instance's copy of the global history store ({@link LocalHistory}).
 */
@Tag(name = "orders", description = "Order state (read side)")
@RestController
class OrderHistoryController {

    private static final String CURSOR_VERSION = "h1.";

    private final OrderQueryService queries;
    private final LocalHistory history;
    private final QueryProperties properties;
    private final Viewers viewers;

    OrderHistoryController(
            OrderQueryService queries, LocalHistory history, QueryProperties properties, Viewers viewers) {
        this.queries = queries;
        this.history = history;
        this.properties = properties;
        this.viewers = viewers;
    }

    /** One page of a history; {@code nextCursor} is {@code null} on the last page. */
    record EventPage(List<EventView> items, String nextCursor) {}

    @Operation(
            summary = "Every event of one order, oldest first",
            description = "Cursor paging: pass nextCursor back as cursor. 404 as for GET /orders/{id}.")
    @GetMapping("/orders/{orderId}/events")
    EventPage events(
            @PathVariable String orderId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int size = limit == null ? properties.defaultPageSize() : limit;
        if (size < 1 || size > properties.maxPageSize()) {
            throw new InvalidQueryException("limit", "limit must be between 1 and " + properties.maxPageSize());
        }
        String after = cursor == null || cursor.isBlank() ? null : decode(cursor);
        queries.get(orderId, viewers.current()); // 404 for an unknown or foreign order
        List<LocalHistory.Entry> entries = history.page(orderId, after, size + 1);
        List<LocalHistory.Entry> page = entries.subList(0, Math.min(size, entries.size()));
        String next = entries.size() > size ? encode(page.get(page.size() - 1).position()) : null;
        return new EventPage(page.stream().map(e -> EventView.from(e.event())).toList(), next);
    }

    private static String encode(String position) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_VERSION + position).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("cursor", "cursor is not valid");
        }
        String position = text.startsWith(CURSOR_VERSION) ? text.substring(CURSOR_VERSION.length()) : null;
        if (!HistoryKeys.isPosition(position)) {
            throw new InvalidQueryException("cursor", "cursor is not valid");
        }
        return position;
    }
}
