/**
 * The read side's Kafka Streams application and local interactive queries.
 *
 * <p><b>Stores</b> (all fed by one processor per partition, so an order's row and its index entries change in the
 * same task): {@code orders-by-id} (orderId → OrderState), {@code orders-by-created}, {@code orders-by-status},
 * {@code orders-by-symbol}, {@code orders-by-symbol-status} (index key → orderId; see {@link
 * io.orderpipeline.query.view.IndexKeys} for the key layout that makes a range scan return newest first).
 *
 * <p><b>Consistency</b>: stores are eventually consistent with {@code orders.state} (no caching: a processed record is
 * queryable at once). Reads allow stale copies (standby or restoring, KIP-535) so that queries keep working during a
 * rebalance; a version never goes backwards in a store (older versions are ignored).
 */
package io.orderpipeline.query.view;
