/**
 * The operators' write endpoints ({@code orders:admin} only): {@code POST /admin/orders/{id}/replay} and its bulk
 * form {@code POST /admin/orders/replay} (REPLAY commands; the stream-processor reopens FAILED orders exactly once),
 * {@code POST /admin/dead-letters/{ref}/redrive} and {@code POST /admin/dead-letters/redrive} (a dead letter back to
 * its original topic in one transaction with its mark on {@code orders.redrives} and a {@code REDRIVEN} event). Reading
 * dead letters is query-ws-service's.
 */
package io.orderpipeline.ingest.admin;
