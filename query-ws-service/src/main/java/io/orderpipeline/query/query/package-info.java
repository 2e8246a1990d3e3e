/**
 * The HTTP read API.
 *
 * <p><b>Routing</b>: a key query goes to its partition's active copy (locally or forwarded over HTTP to the owner's
 * {@code /internal/orders/…}), then to standbys; a listing asks one copy of every partition and merges. While a task
 * moves between instances, queries retry for {@code orders.query.unavailable-grace}; then 503 with
 * {@code Retry-After}. Requests never hang: every hop is bounded by {@code orders.query.peer-timeout}.
 *
 * <p><b>Paging</b>: newest first by (createdAt, orderId); the cursor is that sort key, so pages neither repeat nor skip
 * an order that exists for the whole walk, whatever arrives meanwhile. A page costs O(limit × partitions) store reads (× the caller's accounts).
 *
 * <p><b>Who sees what</b>: a caller sees the orders of the accounts its token grants ({@link
 * io.orderpipeline.query.query.Viewer}); an order of another account is answered 404 exactly like an unknown id (and a
 * long-poll on it times out like one on an unknown id); a listing covers the caller's accounts (or the one named by
 * {@code accountId}; another account is 403), read from the per-account indexes; {@code orders:admin} sees all. A query
 * forwarded to another instance carries the caller's token and that instance applies the same rules.
 *
 * <p><b>Positions</b>: {@code GET /accounts/{id}/positions} gathers one copy of every partition like a listing; each
 * copy sums the fills of the account's orders in its partitions per symbol ({@link
 * io.orderpipeline.query.view.PositionTotals}), and the sums add up whatever the partition or instance. No store of its
 * own: as fresh as a key query, nothing to rebuild; the convention (total average cost) is on {@code Position}.
 *
 * <p><b>Long-poll</b>: {@code ?waitForVersion=n} / {@code ?waitForStatus=S[,S…]} with {@code timeout}; the waiter is
 * registered before the current state is read, and woken by the change feed, so no change is missed; no thread is held
 * while waiting.
 */
package io.orderpipeline.query.query;
