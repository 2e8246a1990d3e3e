package io.orderpipeline.query.view;

import java.util.EnumMap;
import java.util.Map;

/**
 * Layout of the keys of the listing indexes. Every index key ends with the <em>sort key</em>: the creation time
 * inverted and zero-padded to 19 digits, then the order id. Stores compare keys as bytes (RocksDB's default
 * comparator, UTF-8 strings), so an ascending range scan yields newest first, ties broken by order id: a total, stable
 * order that never changes for an order, which is what makes cursors safe while orders arrive or change status.
 *
 * <p>Filtered indexes prefix the sort key with the filter values (per-account indexes with the account id first), each
 * followed by {@code U+0000} so that no value is a prefix of another ({@code AAPL} vs {@code AAPLX}).
 */
public final class IndexKeys {

    static final char SEPARATOR = '\u0000';
    private static final int TIME_DIGITS = 19;

    private IndexKeys() {}

    /** {@code (Long.MAX_VALUE - createdAt)} zero-padded, then the order id. */
    public static String sortKey(long createdAtMillis, String orderId) {
        String inverted = Long.toString(Long.MAX_VALUE - Math.max(0L, createdAtMillis));
        return "0".repeat(TIME_DIGITS - inverted.length()) + inverted + orderId;
    }

    /** Creation time encoded in {@code sortKey}, or -1 if it is not a sort key. */
    public static long createdAtOf(String sortKey) {
        if (sortKey == null || sortKey.length() < TIME_DIGITS) {
            return -1;
        }
        try {
            return Long.MAX_VALUE - Long.parseLong(sortKey.substring(0, TIME_DIGITS));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isSortKey(String sortKey) {
        return createdAtOf(sortKey) >= 0 && sortKey.length() > TIME_DIGITS;
    }

    /** Prefix of the entries of one filtered index; empty for the creation-time index. */
    static String prefix(Index index, String status, String symbol) {
        return prefix(index, null, status, symbol);
    }

    /** Prefix of the entries of one index; per-account indexes start with {@code account}. */
    static String prefix(Index index, String account, String status, String symbol) {
        String filters = switch (index) {
            case CREATED, ACCOUNT -> "";
            case STATUS, ACCOUNT_STATUS -> status + SEPARATOR;
            case SYMBOL, ACCOUNT_SYMBOL -> symbol + SEPARATOR;
            case SYMBOL_STATUS, ACCOUNT_SYMBOL_STATUS -> symbol + SEPARATOR + status + SEPARATOR;
        };
        return index.perAccount() ? account + SEPARATOR + filters : filters;
    }

    /** A key greater than every key that starts with {@code prefix} (and smaller than keys of the next prefix). */
    static String upperBound(String prefix) {
        if (prefix.isEmpty()) {
            // sort keys start with a digit; ':' is the next character after '9'
            return ":";
        }
        return prefix.substring(0, prefix.length() - 1) + (char) (SEPARATOR + 1);
    }

    /** The index entries one state of an order occupies. */
    static Map<Index, String> entriesOf(OrderView order) {
        String sortKey = sortKey(order.createdAtMillis(), order.orderId());
        Map<Index, String> keys = new EnumMap<>(Index.class);
        for (Index index : Index.values()) {
            keys.put(index, prefix(index, order.accountId(), order.status(), order.symbol()) + sortKey);
        }
        return keys;
    }
}
