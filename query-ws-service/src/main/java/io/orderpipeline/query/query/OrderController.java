package io.orderpipeline.query.query;

import io.orderpipeline.query.feed.RecentOrderStates;
import io.orderpipeline.query.view.IndexedOrder;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.PageQuery;
import io.orderpipeline.query.view.QueryProperties;
import io.orderpipeline.query.view.StoreUnavailableException;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The public read API: one order by id (optionally long-polling until it reaches a version or status) and listings
 * with cursor paging. Answers come from whichever instance holds the data (see {@link OrderQueryService}).
 */
@Tag(name = "orders", description = "Order state (read side)")
@RestController
@RequestMapping("/orders")
class OrderController {

    /** States after which an order never changes again (PLACED is not one since the venue fills orders). */
    private static final Set<String> TERMINAL = Set.of(
            OrderStatus.REJECTED.name(),
            OrderStatus.FAILED.name(),
            OrderStatus.CANCELLED.name(),
            OrderStatus.FILLED.name(),
            OrderStatus.EXPIRED.name());

    private static final Set<String> STATUSES =
            Arrays.stream(OrderStatus.values()).map(Enum::name).collect(Collectors.toSet());

    private final OrderQueryService queries;
    private final OrderWaiters waiters;
    private final RecentOrderStates recent;
    private final QueryProperties properties;
    private final Viewers viewers;

    OrderController(
            OrderQueryService queries,
            OrderWaiters waiters,
            RecentOrderStates recent,
            QueryProperties properties,
            Viewers viewers) {
        this.queries = queries;
        this.waiters = waiters;
        this.recent = recent;
        this.properties = properties;
        this.viewers = viewers;
    }

    @Operation(
            summary = "Current state of one order",
            description =
                    "200 with the state; 404 when unknown or of an account the token does not grant (one answer for"
                            + " both); 503 with Retry-After when no copy of its partition can answer (e.g. during a"
                            + " rebalance without standby).")
    @GetMapping(
            value = "/{orderId}",
            params = {"!waitForVersion", "!waitForStatus"})
    OrderView get(@PathVariable String orderId) {
        return queries.get(orderId, viewers.current());
    }

    /**
     * Long-poll: completes with 200 as soon as the order has reached {@code waitForVersion} (version &gt;= n) and/or one
     * of the {@code waitForStatus} statuses, or has reached a terminal status and can no longer change (the caller
     * checks the body); 504 when {@code timeout} passes first. The request thread is released while waiting. States
     * of an order the caller may not see never complete it: such an order waits until the timeout exactly as an
     * unknown one does.
     */
    @Operation(summary = "Wait for an order to reach a version or status (long-poll)")
    @GetMapping("/{orderId}")
    DeferredResult<ResponseEntity<?>> await(
            @PathVariable String orderId,
            @Parameter(description = "complete once version >= this") @RequestParam(required = false)
                    Long waitForVersion,
            @Parameter(description = "complete once status is one of these (comma separated)")
                    @RequestParam(required = false)
                    String waitForStatus,
            @Parameter(description = "how long to wait, e.g. 30s, 500ms, PT1M or milliseconds")
                    @RequestParam(required = false)
                    String timeout) {
        Duration wait = parseTimeout(timeout);
        Predicate<OrderView> condition = condition(waitForVersion, parseStatuses(waitForStatus));
        Viewer viewer = viewers.current();
        DeferredResult<ResponseEntity<?>> result = new DeferredResult<>(wait.toMillis());
        OrderWaiters.Waiter waiter = waiters.register(
                orderId,
                state -> viewer.sees(state) && (condition.test(state) || TERMINAL.contains(state.status())),
                state -> result.setResult(ResponseEntity.ok(state)));
        result.onCompletion(waiter::cancel);
        result.onError(error -> waiter.cancel());
        result.onTimeout(() -> {
            waiter.cancel();
            result.setErrorResult(timedOut(orderId, wait));
        });
        // registered first, then read: a change after this point wakes the waiter, one before it is in the read
        Optional<OrderView> current = RecentOrderStates.newest(recent.get(orderId), findQuietly(orderId, viewer));
        current.ifPresent(waiter::offer);
        return result;
    }

    @Operation(
            summary = "List orders, newest first",
            description = "Cursor paging: pass nextCursor back as cursor."
                    + " Filters: accountId, status, symbol. Lists the orders of the token's accounts (an operator:"
                    + " every account); an accountId the token does not grant is 403."
                    + " offset is for the simple case only (cost grows with it).")
    @GetMapping
    OrderPage list(
            @RequestParam(required = false) String accountId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer offset,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String symbol) {
        int size = limit == null ? properties.defaultPageSize() : limit;
        if (size < 1 || size > properties.maxPageSize()) {
            throw new InvalidQueryException("limit", "limit must be between 1 and " + properties.maxPageSize());
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0 || skip > properties.maxOffset()) {
            throw new InvalidQueryException(
                    "offset", "offset must be between 0 and " + properties.maxOffset() + "; use cursor beyond");
        }
        if (cursor != null && offset != null) {
            throw new InvalidQueryException("offset", "use either cursor or offset, not both");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidQueryException("status", "status must be one of " + STATUSES);
        }
        if (symbol != null && symbol.isBlank()) {
            throw new InvalidQueryException("symbol", "symbol must not be blank");
        }
        if (accountId != null && accountId.isBlank()) {
            throw new InvalidQueryException("accountId", "accountId must not be blank");
        }
        String after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        Viewer viewer = viewers.current();
        Set<String> accounts = viewer.listedAccounts(accountId);
        if (accounts != null && accounts.isEmpty()) {
            return new OrderPage(List.of(), null); // a token without accounts sees no order
        }
        List<IndexedOrder> entries =
                queries.scan(new PageQuery(accounts, status, symbol, after, skip + size + 1), viewer);
        List<IndexedOrder> page =
                entries.subList(Math.min(skip, entries.size()), Math.min(skip + size, entries.size()));
        String next = entries.size() > skip + size && !page.isEmpty()
                ? Cursor.encode(page.get(page.size() - 1).sortKey())
                : null;
        return new OrderPage(page.stream().map(IndexedOrder::order).toList(), next);
    }

    private Optional<OrderView> findQuietly(String orderId, Viewer viewer) {
        try {
            return queries.find(orderId, viewer);
        } catch (StoreUnavailableException e) {
            return Optional.empty(); // keep waiting: the feed will still deliver changes
        }
    }

    private Duration parseTimeout(String timeout) {
        if (timeout == null || timeout.isBlank()) {
            return properties.longPoll().defaultTimeout();
        }
        Duration parsed;
        try {
            parsed = DurationStyle.detectAndParse(timeout.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("timeout", "timeout must be a duration like 30s, 500ms or PT1M");
        }
        if (parsed.isNegative()
                || parsed.isZero()
                || parsed.compareTo(properties.longPoll().maxTimeout()) > 0) {
            throw new InvalidQueryException(
                    "timeout",
                    "timeout must be positive and at most "
                            + properties.longPoll().maxTimeout());
        }
        return parsed;
    }

    private static Set<String> parseStatuses(String waitForStatus) {
        if (waitForStatus == null || waitForStatus.isBlank()) {
            return Set.of();
        }
        Set<String> statuses = Arrays.stream(waitForStatus.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        for (String status : statuses) {
            if (!STATUSES.contains(status)) {
                throw new InvalidQueryException(
                        "waitForStatus", "'" + status + "' is not one of " + EnumSet.allOf(OrderStatus.class));
            }
        }
        return statuses;
    }

    private static Predicate<OrderView> condition(Long waitForVersion, Set<String> statuses) {
        if (waitForVersion == null && statuses.isEmpty()) {
            throw new InvalidQueryException("waitForVersion", "give waitForVersion and/or waitForStatus");
        }
        if (waitForVersion != null && waitForVersion < 1) {
            throw new InvalidQueryException("waitForVersion", "waitForVersion must be >= 1");
        }
        return state -> (waitForVersion == null || state.version() >= waitForVersion)
                && (statuses.isEmpty() || statuses.contains(state.status()));
    }

    private static ResponseEntity<ProblemDetail> timedOut(String orderId, Duration wait) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.GATEWAY_TIMEOUT, "order " + orderId + " did not reach the requested state within " + wait);
        problem.setTitle("Wait timed out");
        problem.setType(URI.create("urn:orders:problem:wait-timeout"));
        return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(problem);
    }
}
