package io.orderpipeline.query.feed;

import io.orderpipeline.query.view.OrderView;

/**
 * Receives every order state the feed reads, on the feed's thread, in partition order (so in version order per
 * order). Implementations must not block: they hand work to their own queues.
 */
@FunctionalInterface
public interface OrderStateListener {

    void onState(OrderView state);
}
