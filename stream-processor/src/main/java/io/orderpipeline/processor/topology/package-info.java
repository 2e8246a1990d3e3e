/**
 * The order pipeline's write side as a Kafka Streams topology: {@link io.orderpipeline.processor.topology.OrderTopology}
 * and what it is made of. No Spring in here.
 *
 * <h2>Lifecycle</h2>
 *
 * A PLACE command creates the order {@code PENDING} (version 1, event {@code ACCEPTED}). The instrument checks (tick,
 * band, lot, tradable, quantity) run against the {@code instruments} GlobalKTable; a failure ends the order {@code
 * REJECTED} with machine-readable reasons. Otherwise the account ledger, in the same task (the write side is
 * partitioned by account), checks the clientOrderId and the open-notional limit and reserves the notional; then the
 * order is placed at the exchange, all in the call that read the command.
 * Success ends it {@code PLACED}; a transient failure makes it {@code RETRYING} (attempt count, next attempt time) and
 * sends the next attempt through {@code orders.place.retry.<tier>}; an exhausted or fatal one ends it {@code FAILED}
 * with a record on {@code orders.place.dlt}. A cancel ends a {@code PENDING}/{@code RETRYING} order {@code CANCELLED};
 * for an ended order it is recorded as {@code CANCEL_IGNORED}. A PLACE for an existing orderId (a retried request with
 * the same Idempotency-Key) is recorded as {@code DUPLICATE_IGNORED}. Every end gives the reservation back.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@code exactly_once_v2}: the effects of one input record (store writes, state, events, retry, DLT and ledger
 *       records) commit together or not at all. A version grows by exactly one per transition, and each transition is
 *       on {@code orders.events} once; no-op events carry the current version.
 *   <li>Per account, everything happens on one partition (see {@link io.orderpipeline.schemas.OrderRouting}) and one
 *       thread, in order.
 *   <li>No stream thread sleeps: retries wait in the {@code placement-schedule} store and a wall-clock punctuator starts
 *       them when due; exchange answers arrive asynchronously and are applied by the same punctuator.
 *   <li>Poison input (undeserializable, or a command that is not an order) goes to the dead-letter queue ({@code
 *       orders.dlq}) and processing continues.
 * </ul>
 *
 * <h2>"Placed twice"</h2>
 *
 * The one effect outside Kafka is the exchange call. After a crash, Kafka Streams replays the input of the aborted
 * transaction, so the same attempt can reach the exchange again. "Placed twice" would mean the exchange holds two live
 * orders for one orderId, or our {@code PLACED} state names an exchange id the exchange does not hold. The exchange
 * prevents the first by treating orderId as an idempotency key (a repeated request returns the original
 * acknowledgement); the topology prevents the second by always sending the same orderId, by converging on the
 * exchange's answer, and by withdrawing the order at the exchange when it ends {@code CANCELLED} or after a last
 * attempt that timed out. {@code ExactlyOnceRecoveryTest} checks both across crashes against the simulated exchange's
 * journaled ledger.
 */
package io.orderpipeline.processor.topology;
