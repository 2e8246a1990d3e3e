package io.orderpipeline.query.query;

import io.orderpipeline.query.view.OrderView;
import java.util.List;

/**
 * One page of {@code GET /orders}.
 *
 * @param items orders, newest first (ties by order id)
 * @param nextCursor pass as {@code cursor} for the next page; {@code null} on the last page
 */
public record OrderPage(List<OrderView> items, String nextCursor) {

    public OrderPage {
        items = List.copyOf(items);
    }
}
