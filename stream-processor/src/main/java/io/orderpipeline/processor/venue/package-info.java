/**
 * The venue over FIX 4.4 ({@code orders.exchange.kind=fix}, the default): this instance's QuickFIX/J initiator session
 * ({@code fix-gateway}'s {@code VenueConnection}), the {@link io.orderpipeline.processor.placement.ExchangeGateway} the
 * topology places, cancels and amends through, and the path of the venue's reports into {@code orders.executions}.
 *
 * <h2>Where the session lives, and why here</h2>
 *
 * Each stream-processor instance holds its own session (SenderCompID {@code PIPELINE-<instance>}) inside the
 * processor application, rather than a separate gateway service:
 *
 * <ul>
 *   <li><b>One exactly-once hop stays one hop.</b> A command becomes a NewOrderSingle in the same call that validated
 *       it and reserved its notional, in the task that owns the account. A gateway service would put a Kafka topic (or
 *       an RPC) and another process between the decision and the wire: one more hop of latency, one more component to
 *       deploy, supervise and scale, and a second place that has to be idempotent.
 *   <li><b>Reports reach the owning task whichever instance received them.</b> The session writes every report to
 *       {@code orders.executions}, keyed by the order's account (partitioned like {@code orders.commands}), and returns
 *       only once the broker has it; otherwise the venue resends it. So it does not matter that the session that sent
 *       an order belongs to an instance that meanwhile lost the order's partition, or died: the report goes through
 *       Kafka to whichever task owns the order now, at least once, deduplicated there by executionId.
 *   <li><b>The venue makes a shared session unnecessary.</b> It is idempotent by ClOrdID across reconnects and
 *       SenderCompIDs, so two instances (or an instance and its successor after a rebalance) sending the same order
 *       place it once, and a cancel that overtakes its order leaves a tombstone.
 * </ul>
 *
 * The cost: one FIX session per processor instance, each with its own sequence numbers and message store
 * ({@code orders.exchange.fix-store-dir}, by default under the Kafka Streams state directory), so an instance must keep
 * its SenderCompID and store across restarts to get the reports it missed resent.
 *
 * <h2>Health</h2>
 *
 * The {@code venue} health component is UP while logged on and UNKNOWN otherwise, never DOWN: orders retry while the
 * venue is away (and end FAILED on the DLT if it stays away), which a restart of the processor would not change.
 */
package io.orderpipeline.processor.venue;
