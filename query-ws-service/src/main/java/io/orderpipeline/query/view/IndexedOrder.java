package io.orderpipeline.query.view;

import java.util.Comparator;

/** An order with the sort key it is listed under; pages from several partitions and hosts merge on the sort key. */
public record IndexedOrder(String sortKey, OrderView order) {

    /** Newest first, then by order id: the order of every listing. */
    public static final Comparator<IndexedOrder> LISTING_ORDER = Comparator.comparing(IndexedOrder::sortKey);
}
