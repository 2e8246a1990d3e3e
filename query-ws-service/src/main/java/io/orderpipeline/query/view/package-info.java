/**
 * The read side's Kafka Streams application and local interactive queries.
 *
 * <p><b>Stores</b> (all fed by one processor per partition, so an order's row and its index entries change in the
 * same task): {@code orders-by-id} (orderId → OrderState), {@code orders-by-created}, {@code orders-by-status},
 * {@code orders-by-symbol}, {@code orders-by-symbol-status} (index key → orderId; see {@link
 * io.orderpipeline.query.view.IndexKeys} for the key layout that makes a range scan return newest first). The read side
 * writes nothing back to Kafka: {@code orders-by-id} uses {@code orders.state} as its changelog (a read-only state
 * store), the indexes have none and are rebuilt from {@code orders-by-id} whenever a task becomes active here; standby
 * copies keep {@code orders-by-id} only and answer listings from it ({@link io.orderpipeline.query.view.OrderViewTopology}).
 * {@code order-events} (orderId + version + time + type → OrderEvent) is a <em>global</em> store of {@code
 * orders.events}: every instance holds every order's history, no changelog (Kafka Streams rebuilds a global store by
 * running its topic through its processor, {@link io.orderpipeline.query.view.HistoryRecorder}), read by {@link
 * io.orderpipeline.query.view.LocalHistory} without forwarding ({@link io.orderpipeline.query.view.HistoryKeys}).
 *
 * <p><b>Consistency</b>: stores are eventually consistent with {@code orders.state} (no caching: a processed record is
 * queryable at once). Reads allow stale copies (standby or restoring, KIP-535) so that queries keep working during a
 * rebalance; a version never goes backwards in a store (older versions are ignored).
 *
 * <p><b>Recovery: self-healing, never a silent death.</b> A dead stream thread is replaced after a backoff. A client
 * that reaches {@code ERROR} (a thread died of an {@link java.lang.Error}, or Streams gave up) is closed and replaced
 * by a new client after a backoff, retried until one starts; the service is not stopped, because its other parts
 * (the change feed, STOMP sessions, long-polls) are healthy and, in the one-JVM local stack, other services share the
 * process. Health {@code kafkaStreams} is DOWN and queries answer 503 while no client is RUNNING or REBALANCING. A
 * record read while the schema registry is unreachable fails the thread instead of being skipped, so it is read
 * again ({@link io.orderpipeline.query.view.ReadAgainOnRegistryOutage}). See {@link
 * io.orderpipeline.query.view.OrderViewStreams}.
 */
package io.orderpipeline.query.view;
