/**
 * The change feed: a plain consumer on every instance assigned all partitions of {@code orders.state} (no group), so
 * that push subscribers and long-poll waiters see every change whichever instance they are connected to, while the
 * Streams stores stay partitioned. It also remembers recent states to close the gap between the feed and the stores.
 *
 * <p>Recovery: the feed recovers by itself. An unexpected failure replaces its consumer after a backoff, continuing
 * from the positions reached; a registry outage pauses it at the record it could not read. Health ({@code orderFeed})
 * is DOWN meanwhile; see {@link io.orderpipeline.query.feed.OrderStateFeed}.
 */
package io.orderpipeline.query.feed;
