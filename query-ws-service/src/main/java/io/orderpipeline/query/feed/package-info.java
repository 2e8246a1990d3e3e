/**
 * The change feed: a plain consumer on every instance assigned all partitions of {@code orders.state} (no group), so
 * that push subscribers and long-poll waiters see every change whichever instance they are connected to, while the
 * Streams stores stay partitioned. It also remembers recent states to close the gap between the feed and the stores.
 */
package io.orderpipeline.query.feed;
