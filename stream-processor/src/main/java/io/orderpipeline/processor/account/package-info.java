/**
 * The account ledger: duplicate clientOrderIds and open-notional limits, partitioned by accountId, with reservations
 * released when orders end.
 */
package io.orderpipeline.processor.account;
