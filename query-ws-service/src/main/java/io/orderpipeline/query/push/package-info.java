/**
 * STOMP push. {@link io.orderpipeline.query.push.StompAccess} authenticates CONNECT (bearer token), authorizes every
 * SUBSCRIBE and closes sessions whose token expires; {@link io.orderpipeline.query.push.OrderPushHub} documents the destinations, the snapshot-then-delta
 * guarantee and the slow-subscriber policy; {@link io.orderpipeline.query.push.SessionOutbox} the per-session queue;
 * {@link io.orderpipeline.query.push.StompRelayProperties} and {@link io.orderpipeline.query.push.RelayPublisher} the
 * optional external broker relay.
 */
package io.orderpipeline.query.push;
