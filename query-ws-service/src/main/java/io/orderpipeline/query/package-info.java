/**
 * query-ws-service: the read side (CQRS) of the order pipeline.
 *
 * <ul>
 *   <li>{@link io.orderpipeline.query.view} — the service's own Kafka Streams application materializing
 *       {@code orders.state} into named stores: {@code orders-by-id} and the listing indexes.
 *   <li>{@link io.orderpipeline.query.query} — {@code GET /orders/{id}} (with long-poll) and {@code GET /orders}
 *       (cursor paging), answered by whichever instance holds the data.
 *   <li>{@link io.orderpipeline.query.feed} — every instance reads every partition of {@code orders.state} to drive
 *       push and long-poll wake-ups.
 *   <li>{@link io.orderpipeline.query.push} — STOMP over WebSocket/SockJS at {@code /ws}, a bearer token at CONNECT:
 *       {@code /topic/orders} (operators), {@code /topic/accounts.{accountId}} and {@code /topic/orders.{id}}
 *       (snapshot, then deltas) of the caller's accounts.
 *   <li>{@link io.orderpipeline.query.access} — the OAuth2 resource server's rules: which path needs which scope.
 *   <li>{@link io.orderpipeline.query.ui} — the live page at {@code /}, its sign-in settings and its submit proxy.
 * </ul>
 *
 * See {@code query-ws-service/README.md} for endpoints, message semantics and configuration.
 */
package io.orderpipeline.query;
