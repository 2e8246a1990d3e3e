package io.orderpipeline.query.view;

import java.util.Objects;
import java.util.Set;

/**
 * One index scan: whose orders, which index, its filter values, where to start and how many entries to return.
 *
 * @param accounts the accounts whose orders are listed, or {@code null} for every account (an operator); a set
 *     reads the per-account indexes, one range per account, merged
 * @param status status filter, or {@code null}
 * @param symbol symbol filter, or {@code null}
 * @param after sort key of the last entry already returned (exclusive start), or {@code null} for the newest
 * @param count entries wanted
 */
public record PageQuery(Set<String> accounts, String status, String symbol, String after, int count) {

    public PageQuery {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        if (after != null && !IndexKeys.isSortKey(after)) {
            throw new IllegalArgumentException("not a sort key: " + after);
        }
        accounts = accounts == null ? null : Set.copyOf(accounts);
    }

    /** Every account's orders. */
    public PageQuery(String status, String symbol, String after, int count) {
        this(null, status, symbol, after, count);
    }

    public Index index() {
        return Index.forFilter(accounts != null, status, symbol);
    }

    /** Whether {@code order} still matches the filter (an index entry may be read just before it is moved). */
    boolean matches(OrderView order) {
        return (accounts == null || accounts.contains(order.accountId()))
                && (status == null || Objects.equals(status, order.status()))
                && (symbol == null || Objects.equals(symbol, order.symbol()));
    }
}
