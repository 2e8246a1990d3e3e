/**
 * The venue's order book and its engine: {@link io.orderpipeline.venue.book.Book} decides (idempotency by ClOrdID,
 * tombstones, fills, cancels, replaces) and journals every change; {@link io.orderpipeline.venue.book.VenueEngine}
 * runs requests, execution slices and market ticks on one thread and applies the injected faults.
 */
package io.orderpipeline.venue.book;
