/**
 * The order pipeline's write side as a Kafka Streams topology: {@link io.orderpipeline.processor.topology.OrderTopology}
 * and what it is made of. No Spring in here. The decisions are pure functions ({@code OrderTransitions},
 * {@code Executions}, {@code Amendments}, {@code OpenNotional}) that unit tests drive without Kafka; the lifecycle
 * processor reads the stores, asks them, and writes what they decided.
 *
 * <h2>Lifecycle</h2>
 *
 * A PLACE command creates the order {@code PENDING} (version 1, event {@code ACCEPTED}). The instrument checks (tick,
 * band, lot, tradable, quantity) run against the {@code instruments} GlobalKTable; a failure ends the order {@code
 * REJECTED} with machine-readable reasons. Otherwise the account ledger, in the same task (the write side is
 * partitioned by account), checks the clientOrderId and the open-notional limit and reserves the notional; then the
 * order is sent to the exchange, all in the call that read the command.
 *
 * <p>The venue answers with execution reports on {@code orders.executions} (keyed by account, so they reach this task
 * whichever instance's FIX session received them): {@code NEW} (or {@code ORDER_STATUS} for a ClOrdID it had seen)
 * makes it {@code PLACED}; each {@code TRADE} adds a fill ({@code PARTIALLY_FILLED}, then {@code FILLED}, with
 * filledQuantity, leavesQuantity and the volume-weighted averagePrice); {@code CANCELED} and {@code EXPIRED} end it.
 * An in-process exchange ({@code SimulatedExchange}) acknowledges directly instead: {@code PLACED} without a report,
 * and it never fills. A transient failure (a retryable {@code REJECTED}, no session, no report within {@code
 * orders.placement.timeout}) makes the order {@code RETRYING} (attempt count, next attempt time) and sends the next
 * attempt, with the same order id as ClOrdID, through {@code orders.place.retry.<tier>}; an exhausted or fatal one
 * ends it {@code FAILED} with a record on {@code orders.place.dlt}.
 *
 * <p>A cancel of an order the venue cannot hold (waiting for its retry, nothing in flight) ends it {@code CANCELLED} at
 * once, and the id is withdrawn at the venue so that a replayed attempt cannot go live. A cancel of an order the venue
 * may hold ({@code PLACED}, {@code PARTIALLY_FILLED}, or an attempt in flight) is a request: {@code CANCEL_REQUESTED}
 * ({@code pendingRequest=CANCEL}), then {@code CANCELLED} on the venue's {@code CANCELED} (or on its "unknown order"
 * when the cancel overtook the order: the venue's tombstone refuses the order later), or {@code CANCEL_REJECTED}
 * (request cleared). An AMEND is validated again like a new order (lot, tick, band, max quantity, a price only for
 * LIMIT, the new quantity above the filled one, the account limit with the notional difference); an invalid one is
 * {@code AMEND_REJECTED} at once with reasons and nothing is sent; a valid one is {@code AMEND_REQUESTED}
 * ({@code pendingQuantity}/{@code pendingPrice}), then {@code AMENDED} on the venue's {@code REPLACED} or
 * {@code AMEND_REJECTED} on its refusal. A cancel or amend of an ended order, a PLACE for an existing orderId, and a
 * report that changes nothing are recorded as no-ops ({@code CANCEL_IGNORED}, {@code AMEND_REJECTED}, {@code
 * DUPLICATE_IGNORED}, {@code EXECUTION_IGNORED}, {@code REPLAY_IGNORED}) with the current version.
 *
 * <p><b>Replay.</b> An operator's REPLAY command (ingest-api's {@code POST /admin/orders/{id}/replay}) is the one way
 * out of a terminal state: a {@code FAILED} order is validated again against the instrument and the account limit as
 * they are now and, if it passes, becomes {@code RETRYING} (event {@code REPLAYED} naming the operator, version + 1)
 * with a new round of attempts (attempts back to 0, attempt 1 sent at once, the full retry budget again). One that no
 * longer passes stays {@code FAILED} with a {@code REPLAY_IGNORED} event naming the reasons; a replay of any other order
 * (including the same replay twice: the order is no longer {@code FAILED}) is a {@code REPLAY_IGNORED} no-op. See
 * {@code Replays}.
 *
 * <p><b>Open notional.</b> An order holds its notional from admission until it ends: open quantity times its price
 * (the reference price for a MARKET order), less as fills arrive, the larger shape while an amend is pending, the new
 * one once amended; every end gives the rest back.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@code exactly_once_v2}: the effects of one input record (store writes, state, events, retry, DLT and ledger
 *       records) commit together or not at all. A version grows by exactly one per transition, and each transition is
 *       on {@code orders.events} once; no-op events carry the current version.
 *   <li>Every fill the venue reported ends in the order's state once: reports arrive at least once (a repeat has the
 *       same executionId and is ignored) and, across FIX sessions, possibly out of order. A fill before the
 *       acknowledgement places and fills the order; a fill after the order ended (cancelled, expired, failed) is still
 *       recorded — status unchanged, version + 1, a {@code PARTIALLY_FILLED}/{@code FILLED} event naming the late
 *       arrival — so the sum of the fills is always {@code filledQuantity}.
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
 * The effects outside Kafka are the exchange calls. After a crash, Kafka Streams replays the input of the aborted
 * transaction, so the same attempt (or cancel, or amend) can reach the exchange again. "Placed twice" would mean the
 * exchange holds two live orders for one orderId, or our state names an exchange id the exchange does not hold. The
 * exchange prevents the first by treating orderId (ClOrdID) and the request ids of cancels and amends ({@code
 * <orderId>:c<version>}, {@code <orderId>:a<version>}: the same for a replayed command) as idempotency keys; the
 * topology prevents the second by always sending the same ids, by converging on the exchange's answers, and by
 * withdrawing the order at the exchange when it ends {@code CANCELLED} before the venue held it or after a last attempt
 * that timed out. {@code ExactlyOnceRecoveryTest} checks both across crashes against the simulated exchange's
 * journaled ledger.
 */
package io.orderpipeline.processor.topology;
