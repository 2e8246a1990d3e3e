package io.orderpipeline.query.view;

/**
 * The listing indexes, each a named key-value store of {@code index key -> orderId} (see {@link IndexKeys}). The
 * {@code ACCOUNT…} ones repeat the others per account: a principal's listing is a merge of its few accounts' ranges,
 * so its cost grows with the page, not with the orders of other accounts.
 */
public enum Index {
    /** All orders, newest first. */
    CREATED(OrderViewTopology.ORDERS_BY_CREATED, false),
    /** Orders of one status, newest first. */
    STATUS(OrderViewTopology.ORDERS_BY_STATUS, false),
    /** Orders of one symbol, newest first. */
    SYMBOL(OrderViewTopology.ORDERS_BY_SYMBOL, false),
    /** Orders of one symbol and status, newest first. */
    SYMBOL_STATUS(OrderViewTopology.ORDERS_BY_SYMBOL_STATUS, false),
    /** Orders of one account, newest first. */
    ACCOUNT(OrderViewTopology.ORDERS_BY_ACCOUNT, true),
    /** Orders of one account and status, newest first. */
    ACCOUNT_STATUS(OrderViewTopology.ORDERS_BY_ACCOUNT_STATUS, true),
    /** Orders of one account and symbol, newest first. */
    ACCOUNT_SYMBOL(OrderViewTopology.ORDERS_BY_ACCOUNT_SYMBOL, true),
    /** Orders of one account, symbol and status, newest first. */
    ACCOUNT_SYMBOL_STATUS(OrderViewTopology.ORDERS_BY_ACCOUNT_SYMBOL_STATUS, true);

    private final String storeName;
    private final boolean perAccount;

    Index(String storeName, boolean perAccount) {
        this.storeName = storeName;
        this.perAccount = perAccount;
    }

    public String storeName() {
        return storeName;
    }

    /** Whether its keys start with the account id. */
    public boolean perAccount() {
        return perAccount;
    }

    /** The narrowest index that answers a filter, so a page never scans entries it has to throw away. */
    public static Index forFilter(String status, String symbol) {
        return forFilter(false, status, symbol);
    }

    /** As {@link #forFilter(String, String)}, among the per-account indexes when {@code perAccount}. */
    public static Index forFilter(boolean perAccount, String status, String symbol) {
        if (status != null && symbol != null) {
            return perAccount ? ACCOUNT_SYMBOL_STATUS : SYMBOL_STATUS;
        }
        if (status != null) {
            return perAccount ? ACCOUNT_STATUS : STATUS;
        }
        if (symbol != null) {
            return perAccount ? ACCOUNT_SYMBOL : SYMBOL;
        }
        return perAccount ? ACCOUNT : CREATED;
    }
}
